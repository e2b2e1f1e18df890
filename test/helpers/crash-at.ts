// Crash injection for the CLI tests (never shipped): loaded into a certdesk run with `node --import`, it
// watches the run's file writes, fsyncs and renames (fs.writeSync, fs.fsyncSync, fs.renameSync, fs.promises.rename,
// and the write(), writeFile() and sync() of handles from fs.promises.open, with which a bundle flushes its files
// and folders and a CRL publish writes its files; stdio excluded) and kills the process with SIGKILL at the one CERTDESK_TEST_KILL_AT names: "N" just before the
// Nth, "after:N" just after it. So a test can stop a run the way kill -9 or a power cut does, at every single
// point where a file changes, not only where a timer happens to land (as cli-batch.test.ts's SIGKILL does).
// CERTDESK_TEST_COUNT_OPS=FILE writes every operation seen (as JSON) to FILE when the run ends instead.
// SQLite's own writes happen in native code and are not counted: the points between them are what matter.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { isMainThread } from 'node:worker_threads';

const killAt = process.env.CERTDESK_TEST_KILL_AT;
const countFile = process.env.CERTDESK_TEST_COUNT_OPS;

if (isMainThread && (killAt || countFile)) {
  const after = killAt?.startsWith('after:') ?? false;
  const target = killAt ? Number(after ? killAt.slice(6) : killAt) : Infinity;
  const ops: string[] = [];
  const paths = new Map<number, string>();
  let counting = true;
  const real = { openSync: fs.openSync, closeSync: fs.closeSync, writeSync: fs.writeSync, fsyncSync: fs.fsyncSync, renameSync: fs.renameSync };

  const step = <T>(op: string, run: () => T): T => {
    if (!counting) return run();
    ops.push(op);
    if (!after && ops.length === target) process.kill(process.pid, 'SIGKILL');
    const result = run();
    if (after && ops.length === target) process.kill(process.pid, 'SIGKILL');
    return result;
  };
  const name = (fd: number) => paths.get(fd) ?? `fd ${fd}`;
  const stepAsync = async (op: string, run: () => Promise<void>): Promise<void> => {
    if (!counting) return run();
    ops.push(op);
    const n = ops.length;
    if (!after && n === target) process.kill(process.pid, 'SIGKILL');
    await run();
    if (after && n === target) process.kill(process.pid, 'SIGKILL');
  };
  const realOpen = fs.promises.open;
  fs.promises.open = async (...args: Parameters<typeof fs.promises.open>) => {
    const handle = await realOpen(...args);
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

  Object.assign(fs, {
    openSync(...args: Parameters<typeof fs.openSync>) {
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
    });
  }
}
