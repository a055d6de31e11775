import { Writable } from 'node:stream';
import { Progress, render } from './progress';

describe('progress', () => {
  it('renders a bar proportional to the work done', () => {
    expect(render('upload', 0, 4, 8)).toBe('upload [--------] 0/4');
    expect(render('upload', 1, 4, 8)).toBe('upload [##------] 1/4');
    expect(render('upload', 4, 4, 8)).toBe('upload [########] 4/4');
    expect(render('nothing', 0, 0, 4)).toBe('nothing [####] 0/0');
  });

  it('writes one line per 10% step when the output is not a terminal', () => {
    const lines: string[] = [];
    const out = new Writable({
      write(chunk, _e, done) {
        lines.push(String(chunk));
        done();
      },
    }) as unknown as NodeJS.WriteStream;
    const progress = new Progress('check', 100, out);
    for (let i = 0; i <= 100; i++) progress.update(i);
    expect(lines).toHaveLength(11);
    expect(lines[10]).toContain('100/100');
  });
});
