import { promotionTarget } from './promotion-target';

describe('promotionTarget', () => {
  const observed = [
    { commitId: 'h1', sequence: 1 },
    { commitId: 'h2', sequence: 2 },
    { commitId: 'h3', sequence: 3 },
  ];

  it('moves to the newest observed head that is recorded, skipping intermediate ones', () => {
    expect(promotionTarget(observed, () => true, 1)).toEqual({ commitId: 'h3', sequence: 3 });
  });

  it('settles for an older observed head while a newer one is still being verified', () => {
    expect(promotionTarget(observed, (id) => id !== 'h3', undefined)).toEqual({ commitId: 'h2', sequence: 2 });
  });

  it('never moves back to an observation the branch already reflects or passed', () => {
    expect(promotionTarget(observed, (id) => id === 'h1', 2)).toBeUndefined();
    expect(promotionTarget(observed, () => true, 3)).toBeUndefined();
  });

  it('follows a reset of the source branch to an older commit, because it was observed later', () => {
    const reset = [...observed, { commitId: 'h1', sequence: 4 }];
    expect(promotionTarget(reset, () => true, 3)).toEqual({ commitId: 'h1', sequence: 4 });
  });

  it('moves nowhere when nothing observed is recorded yet', () => {
    expect(promotionTarget(observed, () => false, undefined)).toBeUndefined();
  });
});
