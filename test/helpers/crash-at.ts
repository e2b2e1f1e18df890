// Crash injection for the CLI tests (never shipped): loaded into a certdesk run with `node --import`, it
// watches the run's file writes, fsyncs and renames (fs.writeSync, fs.fsyncSync, fs.renameSync, fs.promises.rename,
// and the write(), writeFile() and sync() of handles from fs.promises.open, with which a bundle flushes its files
// and folders and a CRL publish writes its files; stdio excluded) and kills the process with SIGKILL at the one CERTDESK_TEST_KILL_AT names: "N" just before the
// Nth, "after:N" just after it. So a test can stop a run the way kill -9 or a power cut does, at every single
// point where a file changes, not only where a timer happens to land (as cli-batch.test.ts's SIGKILL does).
// CERTDESK_TEST_COUNT_OPS=FILE writes every operation seen (as JSON) to FILE when the run ends instead.
// SQLite's own writes happen in native code and are not counted: the points between them are what matter.
//
// With CERTDESK_TEST_COUNT_OPS, CERTDESK_TEST_SAME_STATES=FILE also writes (as JSON) the numbers N of the operations
// before which a kill leaves the very files a kill before operation N - 1 leaves: operation N - 1 was an fsync and
// nothing else changed between it and operation N. Under SIGKILL an fsync changes nothing another process can read
// (the kernel keeps the written pages; only a power cut loses them, which no kill here simulates), so the two points
// are one state.
// "Nothing else": no counted operation, no file or folder created, truncated or removed (opened for writing, mkdir,
// rm, unlink, copy, link, truncate, through node:fs and its promises: watched here, not kill points; the CLI writes
// no file through streams or callback-style calls), and the vault's database and WAL files (CERTDESK_VAULT, required;
// SQLite writes them in native code) with the same contents.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { isMainThread } from 'node:worker_threads';

const killAt = process.env.CERTDESK_TEST_KILL_AT;
const countFile = process.env.CERTDESK_TEST_COUNT_OPS;
const sameStatesFile = process.env.CERTDESK_TEST_SAME_STATES;

if (isMainThread && (killAt || countFile)) {
  const after = killAt?.startsWith('after:') ?? false;
  const target = killAt ? Number(after ? killAt.slice(6) : killAt) : Infinity;
  const ops: string[] = [];
  const paths = new Map<number, string>();
  let counting = true;
  const real = { openSync: fs.openSync, closeSync: fs.closeSync, writeSync: fs.writeSync, fsyncSync: fs.fsyncSync, renameSync: fs.renameSync };

  // Same-state detection (CERTDESK_TEST_SAME_STATES): uncounted changes so far, and the vault files' contents.
  const sameAsPrevious: number[] = [];
  let changes = 0;
  let changesAtLastOp = -1;
  let vaultAtLastOp = '';
  // The contents, hashed: a commit into a WAL that SQLite started over can leave its size and header as they were
  // (its frames overwrite older ones), and a modification time moves in clock ticks on many kernels and file systems.
  // The test vaults are small (under a megabyte), and only the counting run hashes.
  const vault = process.env.CERTDESK_VAULT;
  if (sameStatesFile && !vault) throw new Error('crash-at: CERTDESK_TEST_SAME_STATES needs CERTDESK_VAULT, the vault whose commits count as changes');
  const vaultFiles = () =>
    [vault!, `${vault}-wal`].map((f) => (fs.existsSync(f) ? createHash('sha256').update(fs.readFileSync(f)).digest('hex') : '-')).join(' ');
  const record = (op: string) => {
    if (sameStatesFile && counting) {
      const files = vaultFiles();
      if (ops.at(-1)?.startsWith('fsync ') && changes === changesAtLastOp && files === vaultAtLastOp) sameAsPrevious.push(ops.length + 1);
      changesAtLastOp = changes;
      vaultAtLastOp = files;
    }
    ops.push(op);
  };
  // A change counts when it is asked for and, for a promise, again when it is done: one still in flight at an fsync
  // and done before the next operation shows between them.
  const changing = <F extends (...a: never[]) => unknown>(f: F): F => ((...a: Parameters<F>) => {
    changes++;
    const result = f(...a);
    if (result instanceof Promise) void result.finally(() => changes++).catch(() => undefined);
    return result;
  }) as F;
  /** Whether open() flags create, truncate or append (anything but reading, or reading and writing in place). */
  const writes = (flags: unknown) => flags !== undefined && flags !== 'r' && flags !== 'r+' && flags !== 'rs+' && flags !== fs.constants.O_RDONLY && flags !== fs.constants.O_RDWR;

  const step = <T>(op: string, run: () => T): T => {
    if (!counting) return run();
    record(op);
    if (!after && ops.length === target) process.kill(process.pid, 'SIGKILL');
    const result = run();
    if (after && ops.length === target) process.kill(process.pid, 'SIGKILL');
    return result;
  };
  const name = (fd: number) => paths.get(fd) ?? `fd ${fd}`;
  const stepAsync = async (op: string, run: () => Promise<void>): Promise<void> => {
    if (!counting) return run();
    record(op);
    const n = ops.length;
    if (!after && n === target) process.kill(process.pid, 'SIGKILL');
    await run();
    if (after && n === target) process.kill(process.pid, 'SIGKILL');
  };
  const realOpen = fs.promises.open;
  fs.promises.open = async (...args: Parameters<typeof fs.promises.open>) => {
    if (writes(args[1])) changes++;
    const handle = await realOpen(...args);
    if (writes(args[1])) changes++;
    const sync = handle.sync.bind(handle);
    handle.sync = () => stepAsync(`fsync ${String(args[0])}`, sync);
    // The asynchronous writes (files.ts writeNewAsync: CRL publishing), one step per call like writeSync's.
    const writeFile = handle.writeFile.bind(handle);
    handle.writeFile = (...w: Parameters<typeof handle.writeFile>) => stepAsync(`write ${String(args[0])}`, () => writeFile(...w));
    const write = handle.write.bind(handle) as (...w: unknown[]) => Promise<unknown>;
    (handle as { write: unknown }).write = async (...w: unknown[]) => {
      let result: unknown;
      await stepAsync(`write ${String(args[0])}`, async () => void (result = await write(...w)));
      return result;
    };
    return handle;
  };
  const realRename = fs.promises.rename;
  fs.promises.rename = (from: fs.PathLike, to: fs.PathLike) => stepAsync(`rename ${String(from)} -> ${String(to)}`, () => realRename(from, to));

  for (const name of ['mkdir', 'rm', 'rmdir', 'unlink', 'copyFile', 'writeFile', 'appendFile', 'link', 'symlink', 'truncate', 'cp', 'mkdtemp'] as const) {
    (fs.promises as Record<string, unknown>)[name] = changing(fs.promises[name] as (...a: never[]) => unknown);
  }
  for (const name of ['mkdirSync', 'rmSync', 'rmdirSync', 'unlinkSync', 'copyFileSync', 'writeFileSync', 'appendFileSync', 'mkdtempSync', 'linkSync', 'symlinkSync', 'truncateSync', 'ftruncateSync', 'cpSync'] as const) {
    (fs as unknown as Record<string, unknown>)[name] = changing(fs[name] as (...a: never[]) => unknown);
  }
  Object.assign(fs, {
    openSync(...args: Parameters<typeof fs.openSync>) {
      if (writes(args[1])) changes++;
      const fd = real.openSync(...args);
      paths.set(fd, String(args[0]));
      return fd;
    },
    closeSync(fd: number) {
      paths.delete(fd);
      real.closeSync(fd);
    },
    writeSync(fd: number, ...rest: unknown[]) {
      const write = () => (real.writeSync as (...a: unknown[]) => number)(fd, ...rest);
      return fd <= 2 ? write() : step(`write ${name(fd)}`, write);
    },
    fsyncSync(fd: number) {
      step(`fsync ${name(fd)}`, () => real.fsyncSync(fd));
    },
    renameSync(from: fs.PathLike, to: fs.PathLike) {
      step(`rename ${String(from)} -> ${String(to)}`, () => real.renameSync(from, to));
    },
  });
  syncBuiltinESMExports();

  if (countFile) {
    process.on('exit', () => {
      counting = false;
      fs.writeFileSync(countFile, JSON.stringify(ops));
      if (sameStatesFile) fs.writeFileSync(sameStatesFile, JSON.stringify(sameAsPrevious));
    });
  }
}
