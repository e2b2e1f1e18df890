// Runs the README's walk-through word for word, in its folder and with the vault and passphrase in the environment.
// Its certdesk commands run in this process (certdeskInFolder, as typed: relative paths); the other lines (openssl)
// run in bash as before. No check here is about the process: each command's exit status is checked as `set -e` did.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { certdeskInFolder } from '../helpers/cli.js';
import { needTools, run } from '../helpers/tools.js';
import { tempDir } from '../helpers/tmp.js';

const README = fileURLToPath(new URL('../../../README.md', import.meta.url));

function walkthrough(): string {
  const text = readFileSync(README, 'utf8');
  const m = /<!-- walkthrough:start -->\s*```sh\n([\s\S]*?)```\s*<!-- walkthrough:end -->/.exec(text);
  assert.ok(m, 'README.md has a walk-through block');
  return m[1]!;
}

/** The walk-through's lines, a line ending in a backslash joined with the next as sh joins them. */
function lines(script: string): string[] {
  return script.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

/**
 * A certdesk line's words as sh splits them: plain words and single- or double-quoted strings. A line with more
 * shell than that (a pipe, a redirection, a variable) is refused, so the test is changed with the README.
 */
function words(line: string): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.trim() !== '') {
    let word = '';
    rest = rest.replace(/^\s+/, '');
    while (rest !== '' && !/^\s/.test(rest)) {
      const part = /^(?:"((?:[^"\\$`]|\\["\\$`])*)"|'([^']*)'|([^\s"'\\|&;<>()$`*?]+))/.exec(rest);
      assert.ok(part, `the walk-through line "${line}" has shell syntax this test does not run in-process: ${rest}`);
      word += part[1] !== undefined ? part[1].replace(/\\(.)/g, '$1') : (part[2] ?? part[3]!);
      rest = rest.slice(part[0].length);
    }
    out.push(word);
  }
  return out;
}

test("the README's walk-through works as written", async (t) => {
  if (!needTools(t, 'openssl', 'bash')) return;
  const dir = tempDir(t);
  const env = { HOME: dir, CERTDESK_VAULT: join(dir, 'demo.certdesk'), CERTDESK_PASSPHRASE: 'walk-through passphrase' };
  // Each line's output after its trace, as `set -x` printed them; the first failing line stops the walk-through.
  let out = '';
  for (const line of lines(walkthrough())) {
    out += `+ ${line}\n`;
    const r = line.startsWith('certdesk ')
      ? await certdeskInFolder(words(line).slice(1), env, dir)
      : run('bash', ['-c', `set -euo pipefail\n${line}`], { cwd: dir, env: { PATH: process.env.PATH, ...env } });
    out += r.stdout + r.stderr;
    assert.equal(r.status, 0, out);
  }
  assert.match(out, /alice\.pem: OK/);
  assert.match(out, /subject=C ?= ?GB, O ?= ?Example Ltd, CN ?= ?Alice Example/);
  assert.match(out, /email:alice@example\.com, othername: UPN::alice@corp\.example/);
  assert.match(out, /TLS Web Client Authentication, E-mail Protection/);
  assert.match(out, /3\s+Alice Example\s+alice-laptop\s+user\s+valid/);
  assert.match(out, /Revoked certificate 3 \(Alice Example\), reason keyCompromise/);
  assert.match(out, /certificate revoked/);
  assert.match(out, /Audit chain intact/);
  assert.match(out, /^ok$/m, 'vault verify');
});
