// Issue 13: a bundle's files are written unflushed and flushed together with their folder before the rename,
// and the parent folder is flushed after it, so a bundle counts as written only once it and its name are on
// the disk; a failed flush leaves nothing behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { writeBundle } from '../../electron/core/export/bundle-writer.js';
import { nodeFileSink, type FileSink } from '../../electron/core/files.js';

function recordingSink(calls: string[], failFlush?: 'files' | 'parent'): FileSink {
  return {
    ...nodeFileSink,
    mkdir: (p) => (calls.push(`mkdir ${basename(p)}`), nodeFileSink.mkdir(p)),
    writeNew: (p, d, m, flush) => (calls.push(`write ${basename(p)} flush=${String(flush)}`), nodeFileSink.writeNew(p, d, m, flush)),
    rename: (a, b) => (calls.push(`rename ${basename(b)}`), nodeFileSink.rename(a, b)),
    async flush(files, folders) {
      calls.push(`flush ${files.map((f) => basename(f)).join(',')} | ${folders.map((f) => basename(f)).join(',')}`);
      if ((failFlush === 'files' && files.length) || (failFlush === 'parent' && !files.length)) throw Object.assign(new Error('EIO'), { code: 'EIO' });
      await nodeFileSink.flush(files, folders);
    },
  };
}

const ENTRIES = [
  { name: 'a.pfx', data: new Uint8Array([1, 2, 3]), purpose: 'key', private: true },
  { name: 'b.pem', data: 'text\n', purpose: 'cert' },
];

test('writeBundle: files unflushed, then one flush of all of them and the partial folder, rename, then the parent', async (t) => {
  const parent = mkdtempSync(join(tmpdir(), 'certdesk-flush-'));
  t.after(() => rmSync(parent, { recursive: true, force: true }));
  const calls: string[] = [];
  const written = await writeBundle(parent, 'alice-1234', ENTRIES, { format: 'x' }, recordingSink(calls));
  const partial = calls[0]!.slice('mkdir '.length);
  assert.match(partial, /^\.alice-1234\.partial-[0-9a-f]{8}$/);
  assert.deepEqual(calls, [
    `mkdir ${partial}`,
    'write a.pfx flush=false',
    'write b.pem flush=false',
    'write manifest.json flush=false',
    `flush a.pfx,b.pem,manifest.json | ${partial}`,
    'rename alice-1234',
    `flush  | ${basename(parent)}`,
  ]);
  assert.equal(written.folder, join(parent, 'alice-1234'));
  assert.deepEqual(readdirSync(written.folder).sort(), ['a.pfx', 'b.pem', 'manifest.json']);
  assert.equal(readFileSync(join(written.folder, 'b.pem'), 'utf8'), 'text\n');
});

for (const failFlush of ['files', 'parent'] as const) {
  test(`writeBundle: a failed flush of the ${failFlush === 'files' ? 'files' : 'parent folder'} is IO_ERROR naming the folder, and nothing is left`, async (t) => {
    const parent = mkdtempSync(join(tmpdir(), 'certdesk-flush-'));
    t.after(() => rmSync(parent, { recursive: true, force: true }));
    const folder = join(parent, 'bob-5678');
    await assert.rejects(writeBundle(parent, 'bob-5678', ENTRIES, {}, recordingSink([], failFlush)), { code: 'IO_ERROR', message: `cannot write ${folder}: EIO` });
    assert.deepEqual(readdirSync(parent), []);
    assert.equal(existsSync(folder), false);
  });
}
