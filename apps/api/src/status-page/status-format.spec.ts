import { formatDuration, formatTime, plural, shortCommit } from './status-format';

describe('status page formats', () => {
  it('says durations the way people read them', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(59.9)).toBe('59 s');
    expect(formatDuration(60)).toBe('1 min');
    expect(formatDuration(185)).toBe('3 min 5 s');
    expect(formatDuration(7_800)).toBe('2 h 10 min');
    expect(formatDuration(86_400 * 3 + 3_600 * 4)).toBe('3 d 4 h');
    expect(formatDuration(-5)).toBe('0 s');
  });

  it('shortens commits, writes times in UTC and counts', () => {
    expect(shortCommit('a'.repeat(64))).toBe('a'.repeat(12));
    expect(shortCommit(null)).toBe('—');
    expect(formatTime('2026-11-26T04:10:05.123Z')).toBe('2026-11-26 04:10:05 UTC');
    expect(formatTime('not a time')).toBe('not a time');
    expect(plural(1, 'commit')).toBe('1 commit');
    expect(plural(2, 'commit')).toBe('2 commits');
  });
});
