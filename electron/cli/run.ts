// The certdesk program as a function: finds the command in the arguments, runs it, prints its answer and says the
// exit status. The bin (certdesk.ts) is this with the process's streams; a separate module so that tests can run a
// command in their own process without starting a new Node (each start reloads the CLI and its worker threads).
import { parseArgs } from 'node:util';
import { toErrorResult } from '../../shared/errors.js';
import { runEngineJobsInThisThread } from '../core/workers/engine-pool.js';
import { COMMANDS, type Command } from './commands.js';
import { CommandContext, type CliIo } from './context.js';
import { jsonSafe, terminalSafe } from './terminal-text.js';
import { HELP, UsageError } from './usage.js';

export type { CliIo };

const GLOBAL_OPTIONS = {
  vault: { type: 'string' },
  'passphrase-file': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  // Two-officer control (issue 15): shares of a quorum CA for any command that signs with it (quorum-commands.ts).
  share: { type: 'string', multiple: true },
  'share-passphrase-file': { type: 'string', multiple: true },
} as const;

/**
 * The command named by the first words of `argv` that are neither options nor a global option's value, so the
 * global options may come before the command (`certdesk --vault F list`) as well as after it. Throws UsageError
 * for an unknown or missing command.
 */
function findCommand(argv: string[]): { command: Command; rest: string[] } {
  const wordAt: number[] = [];
  for (let i = 0; i < argv.length && wordAt.length < 2; i++) {
    const a = argv[i]!;
    if (a.startsWith('-')) {
      // A global option's value given as the next argument is not a command word.
      const name = a.replace(/^--?/, '');
      if (!a.includes('=') && (GLOBAL_OPTIONS as Record<string, { type: string }>)[name]?.type === 'string') i++;
      continue;
    }
    wordAt.push(i);
  }
  const words = wordAt.map((i) => argv[i]!);
  const match = COMMANDS.filter((c) => c.path.every((p, i) => words[i] === p)).sort((a, b) => b.path.length - a.path.length)[0];
  if (!match) throw new UsageError(words.length ? `unknown command "${words.join(' ')}"` : 'no command given');
  // Remove the command words where they were found and keep everything else for parseArgs.
  const taken = new Set(wordAt.slice(0, match.path.length));
  return { command: match, rest: argv.filter((_, i) => !taken.has(i)) };
}

/**
 * Runs one certdesk command as the `certdesk` program does, writing what it prints to `io` instead of the process's
 * own streams: the bin (certdesk.ts) passes process.stdout and process.stderr; a test may pass buffers to run a
 * command inside its own process (test/helpers/cli.ts certdeskInProcess). Resolves with the exit status: 0
 * success, 1 an error (its message on io.stderr, and {ok: false, code, message} on io.stdout with --json), 2 a
 * usage error. Never rejects for a command's error. What it does not redirect: the vault path and secrets read
 * from the environment (process.env), and passphrase or PIN prompts, which need the process's terminal.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  // A command's heavy steps run in this thread, not on a worker: see core/workers/in-thread-pool.ts.
  runEngineJobsInThisThread();
  const wantsJson = argv.includes('--json');
  let ctx: CommandContext | undefined;
  try {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      io.stdout.write(HELP);
      return argv.length === 0 ? 2 : 0;
    }
    const { command, rest } = findCommand(argv);
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    if (parsed.values.help) {
      io.stdout.write(HELP);
      return 0;
    }
    if (parsed.positionals.length > command.positionals) {
      throw new UsageError(`unexpected argument "${parsed.positionals[command.positionals]}" for "${command.path.join(' ')}"`);
    }
    ctx = new CommandContext(parsed.values as Record<string, string | boolean | string[] | undefined>, parsed.positionals, io);
    const result = await command.run(ctx);
    io.stdout.write(ctx.json ? jsonSafe(JSON.stringify({ ok: true, ...result.data })) + '\n' : terminalSafe(result.text));
    if (result.failure) {
      io.stderr.write(terminalSafe(`certdesk: error: ${result.failure}\n`));
      return 1;
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(terminalSafe(`certdesk: ${e.message}\nRun "certdesk --help" for usage.\n`));
      if (wantsJson) io.stdout.write(jsonSafe(JSON.stringify({ ok: false, code: 'USAGE', message: e.message })) + '\n');
      return 2;
    }
    const err = toErrorResult(e);
    io.stderr.write(terminalSafe(`certdesk: error: ${err.message}\n`));
    if (wantsJson) io.stdout.write(jsonSafe(JSON.stringify(err)) + '\n');
    return 1;
  } finally {
    ctx?.close();
  }
}
