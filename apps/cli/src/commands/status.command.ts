import { setTimeout as sleep } from 'node:timers/promises';
import type { MirrorStatus } from '@lakemirror/pipeline';
import { mirrorPath } from '../api-client';
import { renderStatus } from '../status-view';
import { CliCommand } from './command';

export const statusCommand: CliCommand = {
  name: 'status',
  usage: '<source-repository> <mirror> [--watch] [--json]',
  summary: 'branches, lag, commits in flight with progress, missing objects (--watch refreshes every second)',
  async run(context) {
    const [repository, mirror] = context.positionals(2);
    const watch = context.flag('watch');
    for (;;) {
      const status = await context.api().request<MirrorStatus>('GET', mirrorPath(repository, mirror, 'status'));
      if (context.json) context.write(JSON.stringify(status, null, watch ? 0 : 2));
      else {
        const text = renderStatus(repository, status);
        context.write(watch && process.stdout.isTTY ? `\x1b[2J\x1b[H${text}` : text);
      }
      if (!watch) return;
      await sleep(1_000);
    }
  },
};
