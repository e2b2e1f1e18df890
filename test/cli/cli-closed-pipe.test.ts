// A reader that closes the pipe early (`certdesk list | head`) is not an error: no stack trace, the command's
// own exit code. Before the fix Node threw "Unhandled 'error' event ... write EPIPE" and exited 1.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLI, initTestVault } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const PASS = 'closed pipe passphrase';

/** Runs the CLI with its stdout read end closed before it writes, as `| head` does once it has its lines. */
function runWithClosedStdout(args: string[], cwd: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

test('certdesk list and --help into a closed pipe exit with their own code and print no error', async (t) => {
  const dir = tempDir(t);
  const vault = join(dir, 'v.certdesk');
  await initTestVault(vault, PASS);
  writeFileSync(join(dir, 'pass.txt'), `${PASS}\n`);
  for (const args of [['--help'], ['--vault', vault, '--passphrase-file', join(dir, 'pass.txt'), 'list', '--include-cas'], ['--vault', vault, '--passphrase-file', join(dir, 'pass.txt'), 'ca', 'list', '--json']]) {
    const r = await runWithClosedStdout(args, dir);
    assert.equal(r.stderr, '', `${args.join(' ')}: nothing on stderr`);
    assert.deepEqual([r.code, r.signal], [0, null], `${args.join(' ')}: exit 0`);
  }
  // A failing command keeps its failure code: the closed pipe does not turn it into 0 or a crash.
  const missing = await runWithClosedStdout(['--vault', join(dir, 'none.certdesk'), '--passphrase-file', join(dir, 'pass.txt'), 'list'], dir);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^certdesk: error: /);
  assert.doesNotMatch(missing.stderr, /EPIPE|Unhandled/);
});
