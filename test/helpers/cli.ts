// Runs the built certdesk CLI as a user would: a real process, its exit code, stdout and stderr.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createVault } from '../../electron/core/issuance/new-vault.js';
import { TEST_KDF } from './engine-vault.js';

/** The CLI as it ships: the bundle build/cli-bundle.mjs makes (package.json "bin"), not tsc's unbundled output. */
export const CLI = fileURLToPath(new URL('../../cli/certdesk.js', import.meta.url));

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON when --json was given. */
  json: Record<string, unknown> | null;
}

export function certdesk(args: string[], env: Record<string, string | undefined>, cwd?: string): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout = r.stdout ?? '';
  let json: Record<string, unknown> | null = null;
  if (args.includes('--json')) {
    json = JSON.parse(stdout) as Record<string, unknown>;
  }
  return { status: r.status ?? -1, stdout, stderr: r.stderr ?? '', json };
}

/**
 * A temporary folder with a vault path and passphrase in the environment, and `cd`/`ok` to run commands there.
 * `init()` creates that vault for tests that are not about `certdesk init` or the KDF: see initTestVault.
 */
export function cliSession(dir: string, passphrase: string) {
  const env = { CERTDESK_VAULT: `${dir}/v.certdesk`, CERTDESK_PASSPHRASE: passphrase };
  const cd = (...args: string[]) => certdesk(args, env, dir);
  const ok = (...args: string[]) => {
    const r = cd(...args);
    if (r.status !== 0) throw new Error(`certdesk ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return r;
  };
  const init = () => initTestVault(env.CERTDESK_VAULT, passphrase);
  return { env, cd, ok, init };
}

/**
 * Creates a vault file at `path` (absolute) as `certdesk init` does, through the same createVault, but at the
 * tests' scrypt cost (TEST_KDF: N = 2^12, r = 8, p = 1, 4 MiB) instead of the production default (N = 2^17,
 * 128 MiB, about 0.3 s per derivation). The cost is a VaultOptions setting the engine supports for any vault and
 * stores in the file; every later `certdesk` run reads it back at unlock, so each command in the test unlocks in
 * milliseconds. Nothing in the CLI changes: `certdesk init` itself is still tested with the production cost
 * (test/cli/cli.test.ts). Throws what createVault throws (e.g. CertDeskError when the file exists).
 */
export async function initTestVault(path: string, passphrase: string): Promise<void> {
  const vault = await createVault(path, passphrase, { kdf: { ...TEST_KDF } });
  vault.close();
}

export interface AsyncCliResult extends CliResult {
  /** The signal that ended the process (SIGKILL for a killed run), or null. */
  signal: NodeJS.Signals | null;
}

/** The bundle's runCli (dist/cli/run.js, an entry of build/cli-bundle.mjs): the bin's own code and worker script. */
const RUN_CLI = new URL('../../cli/run.js', import.meta.url).href;

/** runCli with its streams caught as strings, and --json parsed as certdesk() does. */
async function runCaught(args: string[]): Promise<CliResult> {
  const { runCli } = (await import(RUN_CLI)) as typeof import('../../electron/cli/run.js');
  let stdout = '';
  let stderr = '';
  const status = await runCli(args, { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) } });
  const json = args.includes('--json') && stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : null;
  return { status, stdout, stderr, json };
}

/**
 * Runs a certdesk command inside the test's own process: the shipped bundle's runCli (the function the bin calls),
 * its stdout and stderr caught as strings. No Node starts, so the CLI is not loaded again and the engine's shared
 * worker threads stay up between calls: for tests of what a command does to the vault and the files, where the
 * process itself (a signal, stdin, a prompt, the exit of the process) is not what is tested. The exit status and
 * the two streams are the command's own, as in a child's. It uses the test process's environment and working
 * folder, so give absolute paths, the vault as --vault and the passphrase with --passphrase-file; any number may
 * run at once. Throws when --vault is missing, so a test never reaches the default vault in $HOME.
 */
export async function certdeskInProcess(args: string[]): Promise<CliResult> {
  if (!args.includes('--vault')) throw new Error(`certdeskInProcess: give --vault (certdesk ${args.join(' ')})`);
  return runCaught(args);
}

let inFolder: string | null = null;

/**
 * certdeskInProcess for a test written as a user types, with relative paths and the vault and passphrase in the
 * environment: for the call, this process works in `cwd` with `env` added to its environment, as a child started
 * there would (paths in messages stay relative). Both are the process's own, so calls must not overlap: one that
 * starts while another runs throws (an `await` was left out). Needs CERTDESK_VAULT in `env`.
 */
export async function certdeskInFolder(args: string[], env: Record<string, string>, cwd: string): Promise<CliResult> {
  if (!env.CERTDESK_VAULT) throw new Error(`certdeskInFolder: give CERTDESK_VAULT (certdesk ${args.join(' ')})`);
  if (inFolder !== null) throw new Error(`certdeskInFolder: "certdesk ${args.join(' ')}" started while "${inFolder}" runs: await each call`);
  inFolder = `certdesk ${args.join(' ')}`;
  const before = { cwd: process.cwd(), env: Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]])) };
  process.chdir(cwd);
  Object.assign(process.env, env);
  try {
    return await runCaught(args);
  } finally {
    process.chdir(before.cwd);
    for (const [k, v] of Object.entries(before.env)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    inFolder = null;
  }
}

/**
 * cliSession with its commands run in this process (certdeskInFolder): `cd` and `ok` resolve with what
 * cliSession's return. `spawn` is cliSession's `cd`, a process of its own, for a command whose test is about the
 * process (a prompt that needs a terminal, a signal).
 */
export function inProcessSession(dir: string, passphrase: string) {
  const { env, init, cd: spawn } = cliSession(dir, passphrase);
  const cd = (...args: string[]) => certdeskInFolder(args, env, dir);
  const ok = async (...args: string[]) => {
    const r = await cd(...args);
    if (r.status !== 0) throw new Error(`certdesk ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return r;
  };
  return { env, init, cd, ok, spawn };
}

/** Runs the CLI without blocking the test's event loop, so several runs can go at once; `nodeArgs` go to node (e.g. --import). */
export function certdeskAsync(args: string[], env: Record<string, string | undefined>, cwd: string, nodeArgs: string[] = []): Promise<AsyncCliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, CLI, ...args], { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      let json: Record<string, unknown> | null = null;
      if (args.includes('--json') && stdout.trim()) json = JSON.parse(stdout) as Record<string, unknown>;
      resolve({ status: code ?? -1, signal, stdout, stderr, json });
    });
  });
}
