import { listingPlan } from './sweep-listing-plan';

describe('listingPlan', () => {
  it('lists each folder in one stream when there are enough folders, as many at once as memory allows', () => {
    expect(listingPlan(20, 16, 4)).toEqual({ foldersAtOnce: 8, streamsPerFolder: 1 });
    expect(listingPlan(16, 16, 4)).toEqual({ foldersAtOnce: 8, streamsPerFolder: 1 });
    expect(listingPlan(1_000, 4, 4)).toEqual({ foldersAtOnce: 4, streamsPerFolder: 1 });
  });

  it('splits folders into spans, up to the most allowed, only when too few folders would leave the request budget unused', () => {
    expect(listingPlan(2, 16, 4)).toEqual({ foldersAtOnce: 4, streamsPerFolder: 4 });
    expect(listingPlan(5, 16, 4)).toEqual({ foldersAtOnce: 5, streamsPerFolder: 3 });
    expect(listingPlan(1, 2, 4)).toEqual({ foldersAtOnce: 1, streamsPerFolder: 2 });
    expect(listingPlan(2, 16, 2)).toEqual({ foldersAtOnce: 8, streamsPerFolder: 2 });
  });

  it('never splits a folder when one span a folder is the most allowed (the default)', () => {
    expect(listingPlan(2, 16, 1)).toEqual({ foldersAtOnce: 8, streamsPerFolder: 1 });
    expect(listingPlan(1, 16, 1)).toEqual({ foldersAtOnce: 8, streamsPerFolder: 1 });
  });

  it('always lists something, whatever the budget', () => {
    expect(listingPlan(0, 16, 4)).toEqual({ foldersAtOnce: 4, streamsPerFolder: 4 });
    expect(listingPlan(3, 1, 4)).toEqual({ foldersAtOnce: 1, streamsPerFolder: 1 });
  });
});
