// CRL publishing writes its files off the event loop's thread (issue 13's flake in test/service/event-loop.test.ts:
// a 2,000-entry publish let the loop turn only 40 times while three synchronous fsyncs held it): every file goes
// through files.ts writeFileAtomicAsync, a temporary sibling written and fsynced, renamed, then the folder fsynced.
// Counted, never timed: the synchronous fs calls made while it runs, and each call the FileSink receives.
import assert from 'node:assert/strict';
import fs, { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { nodeFileSink, writeFileAtomicAsync, type FileSink } from '../../electron/core/files.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { publishCrls } from '../../electron/core/lifecycle/crl-publish.js';
import { certErr, newVault } from '../helpers/engine-vault.js';
import { tempDir } from '../helpers/tmp.js';

/** Runs `fn` and counts the calls of fs.writeSync, fs.fsyncSync and fs.renameSync made on this thread meanwhile. */
async function syncWritesDuring<T>(fn: () => Promise<T>): Promise<{ result: T; calls: string[] }> {
  const names = ['writeSync', 'fsyncSync', 'renameSync'] as const;
  const real = Object.fromEntries(names.map((n) => [n, fs[n]])) as Pick<typeof fs, (typeof names)[number]>;
  const calls: string[] = [];
  for (const n of names) (fs as unknown as Record<string, unknown>)[n] = (...a: unknown[]) => (calls.push(n), (real[n] as (...x: unknown[]) => unknown)(...a));
  syncBuiltinESMExports(); // the engine's `import { writeSync } from 'node:fs'` now sees the counting ones
  try {
    return { result: await fn(), calls };
  } finally {
    Object.assign(fs, real);
    syncBuiltinESMExports();
  }
}

/** nodeFileSink, recording each call by the file's name; `failRename` rejects the rename onto that name with ENOSPC. */
function recordingSink(calls: string[], failRename?: string): FileSink {
  const tmp = (p: string) => basename(p).replace(/\.[0-9a-f]{12}\.tmp$/, '.tmp');
  return {
    ...nodeFileSink,
    writeNewAsync: (p, d, m) => (calls.push(`write ${tmp(p)}`), nodeFileSink.writeNewAsync(p, d, m)),
    async renameAsync(a, b) {
      calls.push(`rename ${tmp(a)} -> ${basename(b)}`);
      if (basename(b) === failRename) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      await nodeFileSink.renameAsync(a, b);
    },
    flush: (files, folders) => (calls.push(`flush ${[...files, ...folders].map((f) => basename(f)).join(',')}`), nodeFileSink.flush(files, folders)),
  };
}

async function twoCas(t: import('node:test').TestContext) {
  const tv = await newVault(t);
  await createCa(tv.vault, { name: 'Root', subject: 'CN=Async Root,O=Example', keyType: 'ec-p256', days: 3650 });
  await createCa(tv.vault, { name: 'Users', subject: 'CN=Async Users,O=Example', keyType: 'ec-p256', days: 1800, issuer: 'Root' });
  const out = join(tv.dir, 'stick');
  mkdirSync(out);
  return { ...tv, out };
}

test('publishing CRLs makes no synchronous write, fsync or rename: each file is written, flushed and renamed, then its folder flushed', async (t) => {
  const { vault, out } = await twoCas(t);
  const sinkCalls: string[] = [];
  const { result, calls } = await syncWritesDuring(() => publishCrls(vault, out, recordingSink(sinkCalls)));
  assert.deepEqual(calls, [], 'no fs.writeSync, fs.fsyncSync or fs.renameSync on the event loop\'s thread');
  const steps = (name: string) => [`write .${name}.tmp`, `rename .${name}.tmp -> ${name}`, 'flush stick'];
  assert.deepEqual(sinkCalls, ['root.crl', 'root.crl.pem', 'users.crl', 'users.crl.pem', 'crl-chain.pem'].flatMap(steps));
  assert.deepEqual(readdirSync(out).sort(), ['crl-chain.pem', 'root.crl', 'root.crl.pem', 'users.crl', 'users.crl.pem'], 'no temporary file left');
  assert.equal(readFileSync(join(out, 'crl-chain.pem'), 'utf8'), result.crls.map((c) => readFileSync(c.pemFile, 'utf8')).join(''));
  assert.equal(readFileSync(join(out, 'root.crl'))[0], 0x30, 'the .crl file is DER');
});

test('a CRL file that cannot be put in place: IO_ERROR naming it, the temporary file removed, the old file kept whole', async (t) => {
  const { vault, out } = await twoCas(t);
  writeFileSync(join(out, 'crl-chain.pem'), 'the previous combined file\n');
  const sinkCalls: string[] = [];
  await assert.rejects(publishCrls(vault, out, recordingSink(sinkCalls, 'crl-chain.pem')), certErr('IO_ERROR', join(out, 'crl-chain.pem'), 'the disk is full'));
  assert.equal(sinkCalls.at(-1), 'rename .crl-chain.pem.tmp -> crl-chain.pem');
  assert.equal(readFileSync(join(out, 'crl-chain.pem'), 'utf8'), 'the previous combined file\n');
  assert.deepEqual(readdirSync(out).filter((f) => f.startsWith('.')), [], 'no temporary file left');
});

test('writeFileAtomicAsync replaces a file in one step and never overwrites through its temporary name', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'list.pem');
  writeFileSync(file, 'old\n');
  const calls: string[] = [];
  await writeFileAtomicAsync(file, 'new\n', 0o600, recordingSink(calls));
  assert.deepEqual(calls, ['write .list.pem.tmp', 'rename .list.pem.tmp -> list.pem', `flush ${basename(dir)}`]);
  assert.equal(readFileSync(file, 'utf8'), 'new\n');
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(dir), ['list.pem']);
  // A folder that does not exist: IO_ERROR naming the file and why, nothing written.
  await assert.rejects(writeFileAtomicAsync(join(dir, 'missing', 'x.pem'), 'x'), certErr('IO_ERROR', join(dir, 'missing', 'x.pem'), 'the folder does not exist'));
});
