import { Client } from 'pg';
import { PostgresInstance } from './postgres-instance';
import { freePort } from './free-port';

describe('PostgresInstance', () => {
  let instance: PostgresInstance;

  const query = async (sql: string): Promise<Record<string, unknown>[]> => {
    const client = new Client({ connectionString: instance.url });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    instance = await PostgresInstance.start(await freePort());
  });
  afterAll(async () => {
    await instance?.stop();
  });

  it('runs a PostgreSQL of its own on its port, leaving the machine PostgreSQL alone', async () => {
    expect(instance.url).toBe(`postgres://postgres@127.0.0.1:${instance.port}/postgres`);
    const [row] = await query('SHOW port');
    expect(row.port).toBe(String(instance.port));
  });

  it('keeps its data when stopped and started again', async () => {
    await query('CREATE TABLE kept (id int PRIMARY KEY); INSERT INTO kept VALUES (1), (2)');
    await instance.down();
    await expect(query('SELECT 1')).rejects.toThrow();
    await instance.up();
    expect(await query('SELECT id FROM kept ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('recovers committed rows after a crash, ending the sessions it had', async () => {
    const session = new Client({ connectionString: instance.url });
    const ended = new Promise<Error>((resolve) => session.on('error', resolve));
    await session.connect();
    await session.query('CREATE TABLE crashed (id int); INSERT INTO crashed VALUES (7)');
    const pid = (await session.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    await instance.crash();
    expect((await ended).message).toMatch(/terminat|ECONNRESET|Connection/i);
    await session.end().catch(() => undefined);
    expect(await query('SELECT id FROM crashed')).toEqual([{ id: 7 }]);
    expect((await query('SELECT pg_backend_pid() AS pid'))[0].pid).not.toBe(pid);
  });

  it('refuses a port that is taken', async () => {
    await expect(PostgresInstance.start(5432)).rejects.toThrow('port 5432 is already in use');
  });
});
