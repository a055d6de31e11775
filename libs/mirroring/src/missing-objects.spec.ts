import { updateMissingObjects } from './missing-objects';

describe('updateMissingObjects', () => {
  const t0 = new Date('2026-11-25T10:00:00Z');
  const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

  it('remembers when each object was first seen missing and forgets those that arrived', () => {
    const first = updateMissingObjects([], ['data/a', 'data/b'], t0, 600);
    const second = updateMissingObjects(first.missing, ['data/b', 'data/c'], later(120), 600);
    expect(second.missing).toEqual([
      { key: 'data/b', missingSince: t0 },
      { key: 'data/c', missingSince: later(120) },
    ]);
    expect(second.verdict).toEqual({
      stalled: false,
      objects: [
        { key: 'data/b', missingSince: t0, missingForSeconds: 120 },
        { key: 'data/c', missingSince: later(120), missingForSeconds: 0 },
      ],
    });
  });

  it('declares the commit stalled once an object has been missing past the threshold', () => {
    const first = updateMissingObjects([], ['data/a'], t0, 600);
    expect(updateMissingObjects(first.missing, ['data/a'], later(599), 600).verdict.stalled).toBe(false);
    expect(updateMissingObjects(first.missing, ['data/a'], later(600), 600).verdict.stalled).toBe(true);
  });

  it('is not stalled when everything arrived', () => {
    const first = updateMissingObjects([], ['data/a'], t0, 1);
    expect(updateMissingObjects(first.missing, [], later(3600), 1)).toEqual({ missing: [], verdict: { stalled: false, objects: [] } });
  });
});
