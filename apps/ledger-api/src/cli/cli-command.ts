/** One `npm run ledger -- <name>` command, in a file of its own under commands/. */
export interface CliCommand {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The synopsis of its arguments, shown with `--help` and after a usage error. */
  readonly usage: string;
  /** Resolves to the process exit code. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  /** The command's result (a token, a digest…), so that it can be piped or captured. */
  out(line: string): void;
  /** Progress, notes and errors. */
  err(line: string): void;
}

/** Bad arguments: the CLI prints the message and the command's usage, and exits with 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
