// What an interrupted delivery can leave behind, and only what CertDesk itself writes: writeFileAtomic's
// ".NAME.<hex>.tmp" siblings, writeBundle's ".FOLDER.partial-<hex>" folders, a complete bundle folder whose
// password reached no one (its manifest names the delivery), and that bundle's line in a password list.
// Each function is idempotent and quiet about folders that are gone (an unplugged stick).
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { CertDeskError } from '../../../shared/errors.js';
import { csvText } from '../csv-writer.js';
import { MANIFEST_NAME, partialFolderPattern } from '../export/bundle-writer.js';
import { atomicTmpPattern, escapeRegExp, nodeFileSink, writeFileAtomic, type FileSink } from '../files.js';

function entries(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

function removeMatching(folder: string, pattern: RegExp, sink: FileSink): string[] {
  const removed = entries(folder).filter((name) => pattern.test(name));
  for (const name of removed) sink.remove(join(folder, name));
  return removed;
}

/** Removes writeFileAtomic's temporary siblings of `file`; returns their names. */
export function removeTmpSiblings(file: string, sink: FileSink = nodeFileSink): string[] {
  return removeMatching(dirname(file), atomicTmpPattern(file), sink);
}

/** Removes writeBundle's hidden ".FOLDER.partial-<hex>" folders for `folderName` in `outDir`; returns their names. */
export function removePartialBundles(outDir: string, folderName: string, sink: FileSink = nodeFileSink): string[] {
  return removeMatching(outDir, partialFolderPattern(folderName), sink);
}

/** FOLDER, or FOLDER-N as writeBundle names a second bundle of the same certificate in one folder. */
function bundleFolderPattern(folderName: string): RegExp {
  return new RegExp(`^${escapeRegExp(folderName)}(-\\d+)?$`);
}

/**
 * Removes complete bundle folders in `outDir` made by an earlier attempt of this delivery (manifest.json names
 * the delivery and the certificate): their PFX password was never recorded anywhere, so no one can open them.
 * Returns their names.
 */
export function removeUndeliveredBundles(outDir: string, folderName: string, deliveryId: number, sha256: string, sink: FileSink = nodeFileSink): string[] {
  const removed: string[] = [];
  for (const name of entries(outDir).filter((n) => bundleFolderPattern(folderName).test(n))) {
    let manifest: { delivery?: unknown; certificate?: { sha256?: unknown } };
    try {
      manifest = JSON.parse(readFileSync(join(outDir, name, MANIFEST_NAME), 'utf8')) as typeof manifest;
    } catch {
      continue; // not a bundle this delivery made
    }
    if (manifest.delivery === deliveryId && manifest.certificate?.sha256 === sha256) {
      sink.remove(join(outDir, name));
      removed.push(name);
    }
  }
  return removed;
}

/**
 * Drops the lines of a password list (CSV: holder, alias, file, password) whose file lies in a bundle folder
 * FOLDER or FOLDER-N: an earlier attempt's password for a bundle that is gone or about to be made again. The
 * list is rewritten (owner-only, atomically) only when it holds such a line. Returns how many were dropped.
 */
export function dropPasswordLines(listPath: string, folderName: string): number {
  let text: string;
  try {
    text = readFileSync(listPath, 'utf8');
  } catch {
    return 0;
  }
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (e) {
    throw new CertDeskError('IO_ERROR', `cannot read the password list ${listPath}: ${(e as Error).message}`, { path: listPath });
  }
  const folder = bundleFolderPattern(folderName);
  const kept = rows.filter((r, i) => i === 0 || !folder.test((r[2] ?? '').split('/')[0] ?? ''));
  const dropped = rows.length - kept.length;
  if (dropped > 0) writeFileAtomic(listPath, csvText(kept), 0o600);
  return dropped;
}

