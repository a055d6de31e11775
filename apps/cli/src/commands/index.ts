import { CliCommand } from './command';
import { createCommand, deleteCommand, listCommand, showCommand, updateCommand } from './mirror-crud.command';
import { retryCommand } from './retry.command';
import { statusCommand } from './status.command';

/** Every command of `lakemirror`, in the order --help lists them. Add a command here with one line. */
export const COMMANDS: CliCommand[] = [listCommand, showCommand, createCommand, updateCommand, deleteCommand, statusCommand, retryCommand];
