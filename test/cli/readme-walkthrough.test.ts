// Runs the README's walk-through word for word, with `certdesk` on the PATH as `npm link` puts it there.
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { CLI } from '../helpers/cli.js';
import { needTools, run } from '../helpers/tools.js';
import { tempDir } from '../helpers/tmp.js';

const README = fileURLToPath(new URL('../../../README.md', import.meta.url));

function walkthrough(): string {
  const text = readFileSync(README, 'utf8');
  const m = /<!-- walkthrough:start -->\s*```sh\n([\s\S]*?)```\s*<!-- walkthrough:end -->/.exec(text);
  assert.ok(m, 'README.md has a walk-through block');
  return m[1]!;
}

test("the README's walk-through works as written", (t) => {
  if (!needTools(t, 'openssl', 'bash')) return;
  const dir = tempDir(t);
  const bin = join(dir, 'bin');
  run('mkdir', [bin]);
  writeFileSync(join(bin, 'certdesk'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(join(bin, 'certdesk'), 0o755);
  writeFileSync(join(dir, 'walkthrough.sh'), 'set -euo pipefail\nset -x\n' + walkthrough());
  const r = run('bash', ['walkthrough.sh'], {
    cwd: dir,
    env: { PATH: `${bin}:${process.env.PATH}`, HOME: dir, CERTDESK_VAULT: join(dir, 'demo.certdesk'), CERTDESK_PASSPHRASE: 'walk-through passphrase' },
  });
  const out = r.stdout + r.stderr;
  assert.equal(r.status, 0, out);
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
