import { mirrorPath } from '../api-client';
import { CliCommand } from './command';
import { MirrorView } from './mirror-view';

export const pauseCommand: CliCommand = {
  name: 'pause',
  usage: '<source-repository> <mirror> [--json]',
  summary: 'pause a mirror: not scanned, nothing written to it until resumed (commits in flight are still verified)',
  async run(context) {
    const [repository, mirror] = context.positionals(2);
    const paused = await context.api().request<MirrorView>('POST', mirrorPath(repository, mirror, 'pause'));
    context.output(paused, (m) => `mirror ${m.id} of ${m.source_repository} paused since ${String(m.paused_at)}`);
  },
};

export const resumeCommand: CliCommand = {
  name: 'resume',
  usage: '<source-repository> <mirror> [--json]',
  summary: 'resume a paused mirror; it catches up at once',
  async run(context) {
    const [repository, mirror] = context.positionals(2);
    const resumed = await context.api().request<MirrorView>('POST', mirrorPath(repository, mirror, 'resume'));
    context.output(resumed, (m) => `mirror ${m.id} of ${m.source_repository} resumed: catching up`);
  },
};
