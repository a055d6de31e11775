import { mirrorPath } from '../api-client';
import { UsageError } from '../cli-args';
import { CliCommand } from './command';

/** The promotion as the API returns it (the fields the CLI shows). */
interface PromotionView {
  mirror: string;
  source_repository: string;
  region: string;
  state: string;
  step: string;
  forced: boolean;
  branches: Record<string, string> | null;
  tags: Record<string, string> | null;
  discarded: { verified_commits: string[]; branches: { branch: string; verified_head: string }[] };
}

function describe(p: PromotionView): string {
  const lines = [`mirror ${p.mirror} of ${p.source_repository} is now a writable repository on region ${p.region} (${p.state})`];
  for (const [branch, commit] of Object.entries(p.branches ?? {})) lines.push(`  branch ${branch} at ${commit}`);
  for (const [tag, commit] of Object.entries(p.tags ?? {})) lines.push(`  tag ${tag} at ${commit}`);
  if (p.forced) {
    lines.push(`forced: left behind ${p.discarded.verified_commits.length} verified commit(s)`);
    for (const b of p.discarded.branches) lines.push(`  branch ${b.branch} did not reach ${b.verified_head}`);
  }
  return lines.join('\n');
}

export const promoteCommand: CliCommand = {
  name: 'promote',
  usage: '<source-repository> <mirror> [--force] [--yes] [--json]',
  summary: 'failover: turn a mirror into a writable repository of its region, for good (--force leaves verified work behind)',
  async run(context) {
    const [repository, mirror] = context.positionals(2);
    const force = context.flag('force');
    const question = `promote mirror ${mirror} of ${repository} to a writable repository? mirroring stops for good${force ? ', verified work not on the mirror yet is left behind' : ''}`;
    if (!(await context.confirm(question))) throw new UsageError('not confirmed: nothing promoted');
    const promotion = await context.api().request<PromotionView>('POST', mirrorPath(repository, mirror, 'promote'), { confirm: mirror, force });
    context.output(promotion, describe);
  },
};
