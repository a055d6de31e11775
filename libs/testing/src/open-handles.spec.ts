import { Server, createServer } from 'node:net';
import { grownHandles, handlesLeakedBy } from './open-handles';

describe('handlesLeakedBy', () => {
  it('finds nothing when every cycle closes what it opened', async () => {
    const cycle = async () => {
      const server = createServer().listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      await new Promise((resolve) => server.close(resolve));
    };
    expect(await handlesLeakedBy(cycle, 3, 2_000)).toEqual({});
  });

  it('names the handle type a cycle leaves open, with how many', async () => {
    // Listening servers: a handle type nothing else in the test process opens or closes meanwhile.
    const servers: Server[] = [];
    const leaked = await handlesLeakedBy(
      async () => {
        const server = createServer().listen(0, '127.0.0.1');
        await new Promise((resolve) => server.once('listening', resolve));
        servers.push(server);
      },
      2,
      200,
    );
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    expect(Object.keys(leaked)).toContain('TCPServerWrap');
    expect(leaked.TCPServerWrap.after - leaked.TCPServerWrap.before).toBe(2);
  });

  it('compares counts per type', () => {
    expect(grownHandles({ TCPSocketWrap: 2, Timeout: 1 }, { TCPSocketWrap: 3, Timeout: 1, FSReqCallback: 1 })).toEqual({
      TCPSocketWrap: { before: 2, after: 3 },
      FSReqCallback: { before: 0, after: 1 },
    });
  });
});
