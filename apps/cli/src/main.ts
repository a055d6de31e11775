import { parseArgs, UsageError } from './cli-args';
import { CliCommand, CommandContext } from './commands/command';
import { COMMANDS } from './commands';
import { EXIT, EXIT_CODES_HELP, exitCodeFor } from './exit-codes';

const COMMON_FLAGS = "--json prints the API's answer as JSON; --help shows this help";

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: lakemirror <command> [arguments]',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}\n  ${' '.repeat(width)}    lakemirror ${c.name} ${c.usage}`),
    '',
    COMMON_FLAGS,
    "credentials: LAKEMIRROR_ACCESS_KEY_ID / LAKEMIRROR_SECRET_ACCESS_KEY (or lakectl's LAKECTL_CREDENTIALS_*), API at LAKEMIRROR_API_URL",
    EXIT_CODES_HELP,
  ].join('\n');
}

function commandHelp(command: CliCommand): string {
  return [`usage: lakemirror ${command.name} ${command.usage}`, '', command.summary, '', COMMON_FLAGS, EXIT_CODES_HELP].join('\n');
}

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    if (name === undefined) process.exitCode = EXIT.usage;
    return;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new UsageError(`unknown command "${name}"; lakemirror --help lists the commands`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${commandHelp(command)}\n`);
    return;
  }
  const args = parseArgs(rest, new Set(command.valuedOptions ?? []));
  await command.run(new CommandContext(command, args, process.env));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`lakemirror: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(exitCodeFor(error));
});
