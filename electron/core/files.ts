// Writing files so that a reader never sees half of one: write a temporary sibling, flush, rename.
// The engine writes through a FileSink, so tests can make the disk fill up at any byte.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync, existsSync } from 'node:fs';
import { promises as fsp } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CertDeskError } from '../../shared/errors.js';

export interface FileSink {
  exists(path: string): boolean;
  mkdir(path: string): void;
  /**
   * Creates a new file (never overwrites) and flushes it to the disk; with `flush` false it is left to a
   * later flush() (a bundle flushes all its files at once).
   */
  writeNew(path: string, data: Uint8Array | string, mode?: number, flush?: boolean): void;
  /**
   * Flushes files written with `flush` false, then the folders given (their entries: new names, renames),
   * all at once on libuv's threads, so the calling thread's event loop and CPU stay free while the disk
   * works and concurrent flushes share the file system's journal commits. Rejects with the first error.
   */
  flush(files: string[], folders: string[]): Promise<void>;
  rename(from: string, to: string): void;
  remove(path: string): void;
  /**
   * writeNew with flush, on libuv's threads: creates a new file (never overwrites), writes `data` and fsyncs
   * it, so the calling thread's event loop stays free while the disk works. Rejects with the fs error.
   */
  writeNewAsync(path: string, data: Uint8Array | string, mode?: number): Promise<void>;
  /** rename(2) on libuv's threads: `to` is replaced in one step. Rejects with the fs error. */
  renameAsync(from: string, to: string): Promise<void>;
}

/** fsync(2) of one file or folder by path; Windows cannot open a folder to flush it and does not need to. */
async function fsyncPath(path: string, folder: boolean): Promise<void> {
  if (folder && process.platform === 'win32') return;
  // A file is opened for writing: Windows' FlushFileBuffers needs a writable handle.
  const handle = await fsp.open(path, folder ? 'r' : 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export const nodeFileSink: FileSink = {
  exists: (path) => existsSync(path),
  mkdir: (path) => mkdirSync(path, { mode: 0o755 }),
  writeNew(path, data, mode = 0o644, flush = true) {
    const fd = openSync(path, 'wx', mode);
    try {
      const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
      if (flush) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  },
  async flush(files, folders) {
    await Promise.all(files.map((f) => fsyncPath(f, false)));
    await Promise.all(folders.map((f) => fsyncPath(f, true)));
  },
  rename: (from, to) => renameSync(from, to),
  remove: (path) => rmSync(path, { recursive: true, force: true }),
  async writeNewAsync(path, data, mode = 0o644) {
    const handle = await fsp.open(path, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  renameAsync: (from, to) => fsp.rename(from, to),
};

/** A clear reason for a failed write: the disk, the permissions or the folder. */
export function ioError(path: string, e: unknown): CertDeskError {
  if (e instanceof CertDeskError) return e;
  const code = (e as NodeJS.ErrnoException).code ?? 'error';
  const why =
    code === 'ENOSPC' ? 'the disk is full'
    : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'the folder is not writable (permission denied or read-only)'
    : code === 'ENOENT' ? 'the folder does not exist'
    : code === 'EEXIST' ? 'a file of that name already exists'
    : code;
  return new CertDeskError('IO_ERROR', `cannot write ${path}: ${why}`, { path, code });
}

/** The temporary sibling writeFileAtomic writes `path` through: `.NAME.<12 hex>.tmp` in the same folder. */
export function atomicTmpPattern(path: string): RegExp {
  return new RegExp(`^\\.${escapeRegExp(basename(path))}\\.[0-9a-f]{12}\\.tmp$`);
}

/** The text as a literal inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function writeFileAtomic(path: string, data: Uint8Array | string, mode = 0o644, sink: FileSink = nodeFileSink): void {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    sink.writeNew(tmp, data, mode);
    sink.rename(tmp, path);
  } catch (e) {
    sink.remove(tmp);
    throw ioError(path, e);
  }
}

/**
 * writeFileAtomic without blocking the calling thread, and with the folder flushed too: the temporary sibling
 * (atomicTmpPattern) is written and fsynced, renamed onto `path`, then `path`'s folder is fsynced so the new
 * name survives a power cut; every step runs on libuv's threads (sink.writeNewAsync, renameAsync, flush).
 * A reader sees the old file or the whole new one, never part of it (rename(2) is atomic, POSIX.1-2017).
 * Throws CertDeskError IO_ERROR (ioError) naming `path`; the temporary file is removed.
 */
export async function writeFileAtomicAsync(path: string, data: Uint8Array | string, mode = 0o644, sink: FileSink = nodeFileSink): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await sink.writeNewAsync(tmp, data, mode);
    await sink.renameAsync(tmp, path);
    await sink.flush([], [dirname(path)]);
  } catch (e) {
    sink.remove(tmp);
    throw ioError(path, e);
  }
}

/** True when `file` would land in `folder` or anywhere below it (files carrying passwords stay off the bundle stick's folder). */
export function isWithin(folder: string, file: string): boolean {
  const rel = relative(resolve(folder), resolve(dirname(file)));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
