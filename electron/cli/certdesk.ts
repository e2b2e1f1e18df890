#!/usr/bin/env node
// certdesk: the scripting interface to the CertDesk engine. Exit 0 on success, 1 on an error, 2 on a usage error.
import { parseArgs } from 'node:util';
import { toErrorResult } from '../../shared/errors.js';
import { COMMANDS, type Command } from './commands.js';
import { CommandContext } from './context.js';
import { jsonSafe, terminalSafe } from './terminal-text.js';
import { HELP, UsageError } from './usage.js';

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

async function main(argv: string[]): Promise<number> {
  const wantsJson = argv.includes('--json');
  let ctx: CommandContext | undefined;
  try {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      process.stdout.write(HELP);
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
      process.stdout.write(HELP);
      return 0;
    }
    if (parsed.positionals.length > command.positionals) {
      throw new UsageError(`unexpected argument "${parsed.positionals[command.positionals]}" for "${command.path.join(' ')}"`);
    }
    ctx = new CommandContext(parsed.values as Record<string, string | boolean | string[] | undefined>, parsed.positionals);
    const result = await command.run(ctx);
    process.stdout.write(ctx.json ? jsonSafe(JSON.stringify({ ok: true, ...result.data })) + '\n' : terminalSafe(result.text));
    if (result.failure) {
      process.stderr.write(terminalSafe(`certdesk: error: ${result.failure}\n`));
      return 1;
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(terminalSafe(`certdesk: ${e.message}\nRun "certdesk --help" for usage.\n`));
      if (wantsJson) process.stdout.write(jsonSafe(JSON.stringify({ ok: false, code: 'USAGE', message: e.message })) + '\n');
      return 2;
    }
    const err = toErrorResult(e);
    process.stderr.write(terminalSafe(`certdesk: error: ${err.message}\n`));
    if (wantsJson) process.stdout.write(jsonSafe(JSON.stringify(err)) + '\n');
    return 1;
  } finally {
    ctx?.close();
  }
}

// A reader that stops early (`certdesk list | head`) closes the pipe: the output it did not read is not an
// error, and the command's work is already done when its one result is written. Other write errors still throw.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(terminalSafe(`certdesk: internal error: ${(e as Error).message}\n`));
    process.exitCode = 1;
  },
);
