// Issue 13, batch steps: writeBundles writes many bundle folders with one flush of all their files and partial
// folders, then the renames, then one flush of the parent; a failure anywhere leaves none of them. A password
// list takes a step's lines in one append, and refuses all of them when one password would read as a formula.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { PasswordList } from '../../electron/core/batch/password-list.js';
import { writeBundles } from '../../electron/core/export/bundle-writer.js';
import { nodeFileSink, type FileSink } from '../../electron/core/files.js';

function recordingSink(calls: string[], fail?: { flush?: 'files' | 'parent' }): FileSink {
  return {
    ...nodeFileSink,
    mkdir: (p) => (calls.push(`mkdir ${basename(p).replace(/-[0-9a-f]{8}$/, '')}`), nodeFileSink.mkdir(p)),
    writeNew(p, d, m, flush) {
      calls.push(`write ${basename(join(p, '..')).replace(/-[0-9a-f]{8}$/, '')}/${basename(p)} flush=${String(flush)}`);
      nodeFileSink.writeNew(p, d, m, flush);
    },
    rename: (a, b) => (calls.push(`rename ${basename(b)}`), nodeFileSink.rename(a, b)),
    async flush(files, folders) {
      calls.push(`flush ${files.length} files | ${folders.map((f) => basename(f).replace(/-[0-9a-f]{8}$/, '')).join(',')}`);
      if ((fail?.flush === 'files' && files.length) || (fail?.flush === 'parent' && !files.length)) throw Object.assign(new Error('EIO'), { code: 'EIO' });
      await nodeFileSink.flush(files, folders);
    },
  };
}

const entries = (text: string) => [
  { name: 'k.pfx', data: new Uint8Array([1, 2, 3]), purpose: 'key', private: true },
  { name: 'c.pem', data: text, purpose: 'cert' },
];
const BUNDLES = [
  { folderName: 'alice-11111111', entries: entries('alice\n'), manifest: { holder: 'Alice' } },
  { folderName: 'bob-22222222', entries: entries('bob\n'), manifest: { holder: 'Bob' } },
  { folderName: 'carol-33333333', entries: entries('carol\n'), manifest: { holder: 'Carol' } },
];

function tempParent(t: { after(fn: () => void): void }): string {
  const parent = mkdtempSync(join(tmpdir(), 'certdesk-step-'));
  t.after(() => rmSync(parent, { recursive: true, force: true }));
  return parent;
}

test('writeBundles: every folder written unflushed, one flush of all 9 files and 3 partial folders, 3 renames, one flush of the parent', async (t) => {
  const parent = tempParent(t);
  const calls: string[] = [];
  const written = await writeBundles(parent, BUNDLES, recordingSink(calls));
  const folderCalls = (name: string) => [`mkdir .${name}.partial`, ...['k.pfx', 'c.pem', 'manifest.json'].map((f) => `write .${name}.partial/${f} flush=false`)];
  assert.deepEqual(calls, [
    ...folderCalls('alice-11111111'),
    ...folderCalls('bob-22222222'),
    ...folderCalls('carol-33333333'),
    'flush 9 files | .alice-11111111.partial,.bob-22222222.partial,.carol-33333333.partial',
    'rename alice-11111111',
    'rename bob-22222222',
    'rename carol-33333333',
    `flush 0 files | ${basename(parent)}`,
  ]);
  assert.deepEqual(written.map((w) => basename(w.folder)), ['alice-11111111', 'bob-22222222', 'carol-33333333']);
  assert.equal(readFileSync(join(parent, 'bob-22222222', 'c.pem'), 'utf8'), 'bob\n');
  const manifest = JSON.parse(readFileSync(join(parent, 'carol-33333333', 'manifest.json'), 'utf8')) as { holder: string; files: { name: string; bytes: number }[] };
  assert.equal(manifest.holder, 'Carol');
  assert.deepEqual(manifest.files.map((f) => [f.name, f.bytes]), [['k.pfx', 3], ['c.pem', 6]]);
});

test('writeBundles: two bundles of the same name in one step get "-2", as beside an existing folder', async (t) => {
  const parent = tempParent(t);
  const same = [BUNDLES[0]!, { ...BUNDLES[1]!, folderName: 'alice-11111111' }];
  const written = await writeBundles(parent, same, nodeFileSink);
  assert.deepEqual(written.map((w) => basename(w.folder)), ['alice-11111111', 'alice-11111111-2']);
  assert.equal(readFileSync(join(parent, 'alice-11111111-2', 'c.pem'), 'utf8'), 'bob\n');
});

test('writeBundles: a full disk while writing the second bundle is IO_ERROR naming it, and no folder of the step is left', async (t) => {
  const parent = tempParent(t);
  // The second bundle's partial folder name is random: fail its first write, whatever the folder is called.
  const failing: FileSink = {
    ...nodeFileSink,
    writeNew(p, d, m, flush) {
      if (basename(join(p, '..')).startsWith('.bob-22222222.partial-')) throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
      nodeFileSink.writeNew(p, d, m, flush);
    },
  };
  await assert.rejects(writeBundles(parent, BUNDLES, failing), { code: 'IO_ERROR', message: `cannot write ${join(parent, 'bob-22222222')}: the disk is full` });
  assert.deepEqual(readdirSync(parent), []);
});

for (const flush of ['files', 'parent'] as const) {
  test(`writeBundles: a failed flush of the ${flush === 'files' ? 'files' : 'parent folder'} is IO_ERROR naming the parent, and no folder is left`, async (t) => {
    const parent = tempParent(t);
    await assert.rejects(writeBundles(parent, BUNDLES, recordingSink([], { flush })), { code: 'IO_ERROR', message: `cannot write ${parent}: EIO` });
    assert.deepEqual(readdirSync(parent), []);
    assert.equal(existsSync(join(parent, 'alice-11111111')), false);
  });
}

test('PasswordList.appendAll: the step\'s lines after the header, in order; one formula password refuses every line of the step', (t) => {
  const dir = tempParent(t);
  const path = join(dir, 'passwords.csv');
  const list = new PasswordList(path);
  try {
    list.appendAll([
      { holder: 'Alice', alias: null, file: 'alice-1/alice.pfx', password: 'pw-one-A1' },
      { holder: 'Bob', alias: 'bob', file: 'bob-2/bob.pfx', password: 'pw-two-B2' },
    ]);
    assert.throws(
      () =>
        list.appendAll([
          { holder: 'Carol', alias: null, file: 'carol-3/carol.pfx', password: 'pw-three-C3' },
          { holder: 'Dave', alias: null, file: 'dave-4/dave.pfx', password: '=1+1' },
        ]),
      { code: 'INVALID_INPUT', message: 'password for dave-4/dave.pfx: a spreadsheet would read it as a formula (=, +, - or @ at its start or after a ";")' },
    );
  } finally {
    list.close();
  }
  assert.equal(readFileSync(path, 'utf8'), 'holder,alias,file,password\r\nAlice,,alice-1/alice.pfx,pw-one-A1\r\nBob,bob,bob-2/bob.pfx,pw-two-B2\r\n');
});
