import { createInterface } from 'node:readline/promises';
import { ApiClient, apiSettings } from '../api-client';
import { ParsedArgs, UsageError } from '../cli-args';

/** One `lakemirror <name> ...` command. */
export interface CliCommand {
  name: string;
  /** Arguments after the command's name, e.g. `<source-repository> <mirror> [--watch]`. */
  usage: string;
  summary: string;
  /** Options that take a value (`--region b`); every other option is a flag. */
  valuedOptions?: string[];
  run(context: CommandContext): Promise<void>;
}

/** What a command gets: its arguments, the API, and output that honours --json. */
export class CommandContext {
  private client?: ApiClient;

  constructor(
    readonly command: CliCommand,
    readonly args: ParsedArgs,
    readonly env: NodeJS.ProcessEnv,
    private readonly stdout: NodeJS.WriteStream = process.stdout,
  ) {}

  get json(): boolean {
    return this.args.options.has('json');
  }

  /** The API client, created on first use so that usage errors never need credentials. */
  api(): ApiClient {
    this.client ??= new ApiClient(apiSettings(this.env));
    return this.client;
  }

  /** The positional arguments, exactly `count` of them (or between `count` and `max`). */
  positionals(count: number, max = count): string[] {
    const values = this.args.positionals;
    if (values.length < count || values.length > max) throw new UsageError(`usage: lakemirror ${this.command.name} ${this.command.usage}`);
    return values;
  }

  flag(name: string): boolean {
    return this.args.options.get(name) === true;
  }

  option(name: string): string | undefined {
    const value = this.args.options.get(name);
    return typeof value === 'string' ? value : undefined;
  }

  /** Prints `value` as JSON with --json, else the human text `render` makes of it. */
  output<T>(value: T, render: (value: T) => string): void {
    this.write(this.json ? JSON.stringify(value, null, 2) : render(value));
  }

  write(text: string): void {
    this.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Asks on the terminal; --yes answers yes. Without a terminal and without --yes the answer is no. */
  async confirm(question: string): Promise<boolean> {
    if (this.flag('yes')) return true;
    if (!process.stdin.isTTY) throw new UsageError(`${question} (no terminal to ask on: pass --yes to confirm)`);
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return /^y(es)?$/i.test((await prompt.question(`${question} [y/N] `)).trim());
    } finally {
      prompt.close();
    }
  }
}
