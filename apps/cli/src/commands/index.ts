import { auditCommand, auditReportCommand } from './audit.command';
import { CliCommand } from './command';
import { freshnessCommand } from './freshness.command';
import { hooksCommand } from './hooks.command';
import { createCommand, deleteCommand, listCommand, showCommand, updateCommand } from './mirror-crud.command';
import { pauseCommand, resumeCommand } from './pause.command';
import { promoteCommand } from './promote.command';
import { retryCommand } from './retry.command';
import { statusCommand } from './status.command';

/** Every command of `lakemirror`, in the order --help lists them. Add a command here with one line. */
export const COMMANDS: CliCommand[] = [
  listCommand,
  showCommand,
  createCommand,
  updateCommand,
  deleteCommand,
  statusCommand,
  retryCommand,
  pauseCommand,
  resumeCommand,
  promoteCommand,
  freshnessCommand,
  hooksCommand,
  auditCommand,
  auditReportCommand,
];
