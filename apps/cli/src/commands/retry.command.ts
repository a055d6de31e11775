import { mirrorPath } from '../api-client';
import { CliCommand } from './command';

export const retryCommand: CliCommand = {
  name: 'retry',
  usage: '<source-repository> <mirror> <commit> [--json]',
  summary: 'verify a failed commit again once its cause is fixed',
  async run(context) {
    const [repository, mirror, commit] = context.positionals(3);
    const answer = await context.api().request<{ message: string }>('POST', mirrorPath(repository, mirror, 'commits', commit, 'retry'));
    context.output(answer, (a) => a.message);
  },
};
