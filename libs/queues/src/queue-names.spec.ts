import { ALL_QUEUES, QueueName } from './queue-names';

describe('queue names', () => {
  it('are the stored values and never change', () => {
    expect(ALL_QUEUES).toEqual(['mirror-scan', 'commit-verify', 'commit-promote', 'mirror-audit']);
    expect(QueueName.CommitVerify).toBe('commit-verify');
  });

  it('contain no ":" (BullMQ reserves it in keys and job IDs)', () => {
    for (const name of ALL_QUEUES) expect(name).not.toContain(':');
  });
});
