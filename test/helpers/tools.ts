// External tools the interoperability tests run (openssl, keytool, certtool, pk12util, nginx, curl).
// Under CI=true a missing tool is a failure, never a skip: .ci/run installs them all.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import type { TestContext } from 'node:test';

const found = new Map<string, boolean>();

export function hasTool(name: string): boolean {
  let ok = found.get(name);
  if (ok === undefined) {
    ok = spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
    found.set(name, ok);
  }
  return ok;
}

/** Returns true when the tools are present. Otherwise skips the test, or throws under CI. */
export function needTools(t: TestContext, ...names: string[]): boolean {
  const missing = names.filter((n) => !hasTool(n));
  if (missing.length === 0) return true;
  if (process.env.CI === 'true') throw new Error(`required tool(s) missing under CI: ${missing.join(', ')}`);
  t.skip(`not installed: ${missing.join(', ')}`);
  return false;
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs a command synchronously and returns its exit status and output (never throws on non-zero). */
export function run(cmd: string, args: string[], opts: SpawnSyncOptions = {}): RunResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

/** Runs a command and throws with its output when it exits non-zero. */
export function runOk(cmd: string, args: string[], opts: SpawnSyncOptions = {}): RunResult {
  const r = run(cmd, args, opts);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r;
}
