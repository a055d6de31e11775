import { TagListingSchedule } from './tag-listing-schedule';

describe('TagListingSchedule', () => {
  it('lists a source never listed, then again only once the tag interval has passed', () => {
    const schedule = new TagListingSchedule(60_000, 2_000);
    expect(schedule.due('repo', 0)).toBe(true);
    schedule.listed('repo', 0);
    expect(schedule.due('repo', 2_000)).toBe(false);
    expect(schedule.due('repo', 58_000)).toBe(false);
    expect(schedule.due('repo', 60_000)).toBe(true);
  });

  it('keeps every 30th poll of a 2 s interval while each tick drifts by under a quarter interval either way', () => {
    const schedule = new TagListingSchedule(60_000, 2_000);
    const listings: number[] = [];
    for (let tick = 0; tick <= 90; tick++) {
      const now = tick * 2_000 + (tick % 2 === 0 ? 0 : 400) - (tick % 30 === 0 ? 400 : 0);
      if (schedule.due('repo', now)) {
        schedule.listed('repo', now);
        listings.push(tick);
      }
    }
    expect(listings).toEqual([0, 30, 60, 90]);
  });

  it('lists on every poll when the tag interval is no longer than the poll interval', () => {
    const schedule = new TagListingSchedule(60_000, 60_000);
    schedule.listed('repo', 0);
    expect(schedule.due('repo', 59_000)).toBe(true);
    expect(schedule.due('repo', 30_000)).toBe(true);
  });

  it('keeps each source on its own schedule', () => {
    const schedule = new TagListingSchedule(10_000, 1_000);
    schedule.listed('a', 0);
    expect(schedule.due('a', 1_000)).toBe(false);
    expect(schedule.due('b', 1_000)).toBe(true);
  });
});
