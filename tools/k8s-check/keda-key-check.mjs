#!/usr/bin/env node
// Proves, against a real Redis, that KEDA's redis scaler in the built manifests counts the
// verifier's waiting jobs: for each redis trigger that `k8s-check -project . -print-redis-keys`
// found (the ScaledObject's listName, the queue prefix the verifier Deployment is configured
// with, and the verifier's queue name read from libs/queues), it adds a job with BullMQ, exactly
// as the apps do (same queue name, same prefix), and
// checks that the key KEDA reads grows by one, counted the way KEDA's scaler counts (LLEN for a
// list, ZCARD for a sorted set). It also checks that the API's metric source
// (getJobCounts 'waiting', behind lakemirror_queue_jobs, the HPA alternative) sees the same job.
//
//   node tools/k8s-check/keda-key-check.mjs NAME=keys.json [NAME=keys.json ...]
//
// Redis: LAKEMIRROR_K8S_CHECK_REDIS_URL (default redis://127.0.0.1:6379/15), a database index
// kept for this check: it must hold nothing but this check's queue, which it removes at the end.
import { readFileSync } from 'node:fs';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

const redisUrl = process.env.LAKEMIRROR_K8S_CHECK_REDIS_URL ?? 'redis://127.0.0.1:6379/15';
// What the messages name: the server and database, never the URL's credentials (README "TLS and secrets").
const redisServer = (() => {
  try {
    const url = new URL(redisUrl);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return 'LAKEMIRROR_K8S_CHECK_REDIS_URL (not a valid URL)';
  }
})();

// Counts a key the way KEDA's redis scaler does: by the key's type.
const COUNT_LIKE_KEDA = `
  local kind = redis.call('TYPE', KEYS[1]).ok
  if kind == 'list' then return redis.call('LLEN', KEYS[1]) end
  if kind == 'zset' then return redis.call('ZCARD', KEYS[1]) end
  if kind == 'set' then return redis.call('SCARD', KEYS[1]) end
  if kind == 'hash' then return redis.call('HLEN', KEYS[1]) end
  if kind == 'none' then return 0 end
  return redis.error_reply('unsupported key type ' .. kind)`;

async function keysOutside(redis, pattern) {
  const others = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 500);
    cursor = next;
    for (const k of keys) if (!k.startsWith(pattern)) others.push(k);
  } while (cursor !== '0' && others.length < 5);
  return others;
}

async function checkTrigger(redis, label, key, queueName) {
  const count = (k) => redis.eval(COUNT_LIKE_KEDA, 1, k).then(Number);
  const queuePrefix = `${key.queuePrefix}:${queueName}:`;
  const others = await keysOutside(redis, queuePrefix);
  if (others.length > 0) {
    throw new Error(`${redisServer} is not reserved for this check (it holds ${others.join(', ')}); set LAKEMIRROR_K8S_CHECK_REDIS_URL to an unused database`);
  }
  const queue = new Queue(queueName, { connection: redis.duplicate(), prefix: key.queuePrefix });
  try {
    await queue.obliterate({ force: true }); // leftovers of an interrupted run of this check
    const prioritized = key.listName.endsWith(':prioritized');
    const before = await count(key.listName);
    const waitingBefore = (await queue.getJobCounts('waiting')).waiting;
    const bullDefault = `bull:${queueName}:wait`; // the same queue under BullMQ's default prefix
    const decoyBefore = await count(bullDefault);
    await queue.add('keda-key-check', { check: label }, prioritized ? { priority: 1 } : {});
    const after = await count(key.listName);
    const waitingAfter = (await queue.getJobCounts('waiting')).waiting;
    const problems = [];
    if (after - before !== 1) problems.push(`KEDA would count ${before} → ${after} on "${key.listName}" after BullMQ added one job`);
    if (!prioritized && waitingAfter - waitingBefore !== 1) problems.push(`getJobCounts('waiting') (lakemirror_queue_jobs) went ${waitingBefore} → ${waitingAfter}`);
    if ((await count(bullDefault)) !== decoyBefore && key.queuePrefix !== 'bull') problems.push(`"${bullDefault}" changed: the prefix was not applied`);
    const what = `${label} ScaledObject ${key.scaledObject} trigger ${key.trigger}: key "${key.listName}" (queue ${queueName}, prefix "${key.queuePrefix}" from ${key.queuePrefixSource})`;
    if (problems.length > 0) return `${what}: FAILED: ${problems.join('; ')}`;
    const metric = prioritized ? '' : `, lakemirror_queue_jobs{state="waiting"} ${waitingBefore} → ${waitingAfter}`;
    return `${what}: counted ${before} → ${after} after BullMQ added a${prioritized ? ' prioritized' : ''} job${metric}: ok`;
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

async function main() {
  const inputs = process.argv.slice(2);
  if (inputs.length === 0) {
    console.error('usage: node tools/k8s-check/keda-key-check.mjs NAME=redis-keys.json ...');
    process.exit(2);
  }
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3000, retryStrategy: () => null });
  try {
    await redis.connect();
  } catch (error) {
    console.log(`keda-key: FAILED: no Redis at ${redisServer} (${error.message}); start one (bash scripts/env-up.sh starts the machine's) or set LAKEMIRROR_K8S_CHECK_REDIS_URL`);
    process.exit(1);
  }
  let failed = 0;
  let checked = 0;
  try {
    for (const input of inputs) {
      const [label, file] = input.includes('=') ? input.split('=', 2) : [input, input];
      const keys = JSON.parse(readFileSync(file, 'utf8'));
      for (const key of keys) {
        const line = await checkTrigger(redis, label, key, key.queue);
        checked++;
        if (line.includes('FAILED')) failed++;
        console.log(`keda-key: ${line}`);
      }
    }
  } finally {
    redis.disconnect();
  }
  if (checked === 0 && failed === 0) {
    console.log('keda-key: FAILED: no KEDA redis trigger in the given overlays');
    failed++;
  }
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((error) => {
  console.log(`keda-key: FAILED: ${error.message}`);
  process.exit(1);
});
