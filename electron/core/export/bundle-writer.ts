// Writes a bundle folder so that it only ever appears whole: every file goes into a hidden temporary
// folder beside the target, the files and that folder are flushed together (one group of concurrent
// fsyncs on libuv's threads, not one blocking fsync per file), the folder is renamed, and the parent is
// flushed so the new name itself survives a power cut. A pulled stick or a full disk leaves at most a
// ".partial" folder that no one mistakes for a bundle (and we remove it on error).
import { createHash, randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { BundleFile } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { escapeRegExp, ioError, nodeFileSink, type FileSink } from '../files.js';

export interface BundleEntry {
  name: string;
  data: Uint8Array | string;
  purpose: string;
  /** Owner-only permissions (the PFX). */
  private?: boolean;
}

export const MANIFEST_NAME = 'manifest.json';

export function checkParentFolder(parent: string): void {
  let st;
  try {
    st = statSync(parent);
  } catch {
    throw new CertDeskError('IO_ERROR', `cannot write to ${parent}: the folder does not exist`, { path: parent, code: 'ENOENT' });
  }
  if (!st.isDirectory()) throw new CertDeskError('IO_ERROR', `cannot write to ${parent}: it is not a folder`, { path: parent, code: 'ENOTDIR' });
}

export interface WrittenBundle {
  folder: string;
  files: BundleFile[];
}

/** The hidden folder writeBundle fills before renaming it to `folderName`: `.NAME.partial-<8 hex>`. */
export function partialFolderPattern(folderName: string): RegExp {
  return new RegExp(`^\\.${escapeRegExp(folderName)}\\.partial-[0-9a-f]{8}$`);
}

/** One bundle folder for writeBundles: its name, its files (manifest.json is added) and the manifest's other fields. */
export interface BundleToWrite {
  folderName: string;
  entries: BundleEntry[];
  manifest: Record<string, unknown>;
}

/**
 * Writes `entries` and manifest.json (with every file's SHA-256 and size) as the folder `folderName` in
 * `parent` (or "-2", "-3"... beside an existing one), in this order: mkdir ".NAME.partial-<hex>", write the
 * files unflushed, flush them and the partial folder together, rename, flush `parent`. When it resolves,
 * the bundle and its name are on the disk. Throws IO_ERROR naming the folder and the cause (nothing left
 * behind but, if even removing fails, a ".partial" folder).
 */
export async function writeBundle(parent: string, folderName: string, entries: BundleEntry[], manifest: Record<string, unknown>, sink: FileSink = nodeFileSink): Promise<WrittenBundle> {
  return (await writeBundles(parent, [{ folderName, entries, manifest }], sink))[0]!;
}

/**
 * writeBundle for many folders in `parent` at once (a batch step), with one flush for all: mkdir every
 * ".NAME.partial-<hex>" and write every file unflushed, flush all the files and partial folders together,
 * rename each, then flush `parent` once. When it resolves, every bundle and its name are on the disk; a
 * crash before leaves only ".partial" folders and complete folders the caller has not counted (it records
 * nothing before this resolves). Returns the folders in the order given. Throws IO_ERROR naming the folder
 * being written (the parent when a flush of several fails); then none of the folders is left behind (but
 * ".partial" ones that even removing could not remove).
 */
export async function writeBundles(parent: string, bundles: BundleToWrite[], sink: FileSink = nodeFileSink): Promise<WrittenBundle[]> {
  checkParentFolder(parent);
  const taken = new Set<string>();
  const plans = bundles.map((b) => {
    const folder = uniqueFolder(parent, b.folderName, sink, taken);
    taken.add(folder);
    const tmp = join(parent, `.${b.folderName}.partial-${randomBytes(4).toString('hex')}`);
    const files: BundleFile[] = b.entries.map((e) => {
      const bytes = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : e.data;
      return { name: e.name, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, purpose: e.purpose };
    });
    const paths = [...b.entries.map((e) => join(tmp, e.name)), join(tmp, MANIFEST_NAME)];
    return { b, folder, tmp, files, paths, made: false, renamed: false };
  });
  let where = plans.length === 1 ? plans[0]!.folder : parent;
  try {
    for (const p of plans) {
      where = p.folder;
      p.made = true; // removed on error even if mkdir itself failed halfway (removing is forced)
      sink.mkdir(p.tmp);
      p.b.entries.forEach((e, i) => sink.writeNew(p.paths[i]!, e.data, e.private ? 0o600 : 0o644, false));
      sink.writeNew(p.paths[p.b.entries.length]!, JSON.stringify({ ...p.b.manifest, files: p.files }, null, 2) + '\n', 0o644, false);
    }
    where = plans.length === 1 ? plans[0]!.folder : parent;
    await sink.flush(
      plans.flatMap((p) => p.paths),
      plans.map((p) => p.tmp),
    );
    for (const p of plans) {
      where = p.folder;
      sink.rename(p.tmp, p.folder);
      p.renamed = true;
    }
    where = plans.length === 1 ? plans[0]!.folder : parent;
    await sink.flush([], [parent]);
  } catch (e) {
    for (const p of plans) {
      // A renamed folder is complete but its name perhaps not on the disk: the caller does not count it, so it goes too.
      try {
        if (p.renamed) sink.remove(p.folder);
        else if (p.made) sink.remove(p.tmp);
      } catch {
        // The original error matters more; a leftover ".partial" folder is visibly incomplete.
      }
    }
    throw ioError(where, e);
  }
  return plans.map((p) => ({ folder: p.folder, files: p.files }));
}

function uniqueFolder(parent: string, name: string, sink: FileSink, taken: Set<string>): string {
  for (let i = 1; i < 1000; i++) {
    const candidate = join(parent, i === 1 ? name : `${name}-${i}`);
    if (!taken.has(candidate) && !sink.exists(candidate)) return candidate;
  }
  throw new CertDeskError('IO_ERROR', `too many bundles named ${name} in ${parent}`, { path: parent });
}
