import { mirrorPath } from '../api-client';
import { CliCommand } from './command';

interface Freshness {
  message: string;
  stale: boolean;
}

export const freshnessCommand: CliCommand = {
  name: 'freshness',
  usage: '<source-repository> <mirror> <branch> [--json]',
  summary: "whether a mirror branch is within the mirror's max_lag_seconds: exit 0 when fresh, 5 when stale (for jobs that must not read stale data)",
  async run(context) {
    const [repository, mirror, branch] = context.positionals(3);
    // A stale branch is a 409, which exits 5 with the API's message (the lag).
    const answer = await context.api().request<Freshness>('GET', mirrorPath(repository, mirror, 'branches', branch, 'freshness'));
    context.output(answer, (a) => a.message);
  },
};
