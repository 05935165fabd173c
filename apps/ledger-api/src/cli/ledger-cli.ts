import { ConfigurationError } from '../config/ledger-config.js';
import { StoreIdentityMismatch } from '../ledger/beneficiary-ids.js';
import { EXIT_FAILURE, EXIT_USAGE, UsageError, type CliCommand, type CliIo } from './cli-command.js';
import { digestCommand } from './commands/digest.command.js';
import { importCommand } from './commands/import.command.js';
import { importResultsCommand } from './commands/import-results.command.js';
import { rebuildCommand } from './commands/rebuild.command.js';
import { seedCommand } from './commands/seed.command.js';
import { tokenCommand } from './commands/token.command.js';
import { verifyCommand } from './commands/verify.command.js';

// `npm run ledger -- <command>` in a checkout runs this file under tsx; the production image runs the
// compiled file with plain node (its `ledger` wrapper). tsx emits no decorator metadata, so no
// command may bootstrap Nest's dependency injection: each one wires the plain classes it needs itself.
// Add a command (seed, import, import-results, digest, verify, rebuild) as a file in commands/ and list it here.
const COMMANDS: readonly CliCommand[] = [seedCommand, tokenCommand, importCommand, importResultsCommand, digestCommand, verifyCommand, rebuildCommand];

/** How the usage lines name the program: npm names the script it runs; elsewhere it is the image's `ledger`. */
const PROGRAM = process.env.npm_lifecycle_event === 'ledger' ? 'npm run ledger --' : 'ledger';

const io: CliIo = {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

function usage(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    `usage: ${PROGRAM} <command> [options]`,
    '',
    'commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    `${PROGRAM} <command> --help shows a command's options.`,
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.err(usage());
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    io.err(`Unknown command "${name}".\n\n${usage()}`);
    return EXIT_USAGE;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.err(`usage: ${PROGRAM} ${command.usage}`);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    // parseArgs reports unknown or malformed options as TypeErrors with an ERR_PARSE_ARGS_* code.
    const badArguments = error instanceof UsageError || String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS');
    if (badArguments) {
      io.err(`${(error as Error).message}\n\nusage: ${PROGRAM} ${command.usage}`);
      return EXIT_USAGE;
    }
    if (error instanceof ConfigurationError || error instanceof StoreIdentityMismatch) {
      io.err(error.message);
      return EXIT_FAILURE;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
