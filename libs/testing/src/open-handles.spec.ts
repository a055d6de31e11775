import { createServer } from 'node:net';
import { grownHandles, handlesLeakedBy } from './open-handles';

describe('handlesLeakedBy', () => {
  it('finds nothing when every cycle closes what it opened', async () => {
    const cycle = async () => {
      const server = createServer().listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      await new Promise((resolve) => server.close(resolve));
    };
    expect(await handlesLeakedBy(cycle, 3, 500)).toEqual({});
  });

  it('names the handle type a cycle leaves open, with how many', async () => {
    const timers: NodeJS.Timeout[] = [];
    const leaked = await handlesLeakedBy(async () => void timers.push(setInterval(() => undefined, 60_000)), 2, 200);
    timers.forEach(clearInterval);
    expect(leaked).toEqual({ Timeout: { before: expect.any(Number), after: expect.any(Number) } });
    expect(leaked.Timeout.after - leaked.Timeout.before).toBe(2);
  });

  it('compares counts per type', () => {
    expect(grownHandles({ TCPSocketWrap: 2, Timeout: 1 }, { TCPSocketWrap: 3, Timeout: 1, FSReqCallback: 1 })).toEqual({
      TCPSocketWrap: { before: 2, after: 3 },
      FSReqCallback: { before: 0, after: 1 },
    });
  });
});
