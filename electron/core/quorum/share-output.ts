// Where a split's shares go (a CA key's, quorum set; a backup's, backup --shares): per holder, the share file (for the officer's USB stick) and a printable HTML sheet
// with the same text as a QR code, written atomically (files.ts) into one folder, never over an existing file.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkParentFolder } from '../export/bundle-writer.js';
import { escapeHtml, printablePage } from '../export/html.js';
import { qrPngDataUrl } from '../export/qr.js';
import { safeName } from '../file-names.js';
import { ioError, writeFileAtomic } from '../files.js';

export interface WrittenShare {
  holder: string;
  /** 1 to N. */
  index: number;
  /** The share file (text, owner-only permissions). */
  share: string;
  /** The printable sheet (HTML with the QR code and the text). */
  sheet: string;
}

/**
 * File names in `out`: "root-share-1-of-3-alice.certdesk-share" and the same name with ".html".
 * @param name what the shares open: the CA's name ("Root"), or for a backup "NAME-backup"
 */
export function shareFilePaths(out: string, name: string, holders: string[]): { share: string; sheet: string }[] {
  const n = holders.length;
  return holders.map((h, i) => {
    const stem = `${safeName(name, 'ca')}-share-${i + 1}-of-${n}-${safeName(h, 'holder')}`;
    return { share: join(out, `${stem}.certdesk-share`), sheet: join(out, `${stem}.html`) };
  });
}

/**
 * Writes every share file and sheet, or none: IO_ERROR naming the file when `out` is not a folder, a file of
 * that name exists (nothing is written), or a write fails (what was written is removed).
 */
export async function writeShareFiles(paths: { share: string; sheet: string }[], texts: string[], about: SplitAbout): Promise<WrittenShare[]> {
  if (paths.length > 0) checkParentFolder(join(paths[0]!.share, '..'));
  for (const p of paths) for (const f of [p.share, p.sheet]) if (existsSync(f)) throw ioError(f, Object.assign(new Error('exists'), { code: 'EEXIST' }));
  const sheets: string[] = [];
  for (let i = 0; i < paths.length; i++) sheets.push(await shareSheet(texts[i]!, { ...about, holder: about.holders[i]!, index: i + 1 }));
  const written: WrittenShare[] = [];
  try {
    for (let i = 0; i < paths.length; i++) {
      const w = { holder: about.holders[i]!, index: i + 1, share: paths[i]!.share, sheet: paths[i]!.sheet };
      written.push(w);
      writeFileAtomic(w.share, texts[i]!, 0o600);
      writeFileAtomic(w.sheet, sheets[i]!, 0o600);
    }
  } catch (e) {
    removeShareFiles(written);
    throw e;
  }
  return written;
}

/** Removes written share files and sheets (a split that was not committed). */
export function removeShareFiles(files: WrittenShare[]): void {
  for (const f of files) {
    rmSync(f.share, { force: true });
    rmSync(f.sheet, { force: true });
  }
}

/** What a split's shares open: a CA's key (its name), or a backup (its file, the vault's file name, when it was taken). */
export type SplitAbout = { holders: string[]; k: number; n: number } & ({ ca: string } | { backup: { file: string; vault: string; takenAt: string } });

/** The printable sheet of one share: who holds it, what it is for, the QR code of the share text and the text. */
export async function shareSheet(text: string, s: SplitAbout & { holder: string; index: number }): Promise<string> {
  const qr = await qrPngDataUrl(text, { scale: 4 });
  const holder = escapeHtml(s.holder);
  let title: string;
  let what: string;
  let use: string;
  if ('ca' in s) {
    title = `CertDesk share ${s.index} of ${s.n}: CA "${s.ca}", ${s.holder}`;
    what = `<p>This is <strong>${holder}</strong>'s share of the key of CA <strong>${escapeHtml(s.ca)}</strong>. Any ${s.k} of the ${s.n} officers' shares together let CertDesk sign with that CA; fewer reveal nothing about its key.</p>`;
    use = '<code>--share FILE</code>';
  } else {
    title = `CertDesk backup share ${s.index} of ${s.n}: ${s.backup.file}, ${s.holder}`;
    what = `<p>This is <strong>${holder}</strong>'s share of the backup <strong>${escapeHtml(s.backup.file)}</strong> of the vault ${escapeHtml(s.backup.vault)}, taken ${escapeHtml(s.backup.takenAt)}. Any ${s.k} of the ${s.n} officers' shares together restore that backup without the vault passphrase (a new one is set then); fewer reveal nothing. It opens no other backup and no CA key.</p>`;
    use = '<code>certdesk restore BACKUP --vault NEW --share FILE</code>';
  }
  const body = `<h1>${escapeHtml(title)}</h1>
${what}
<p>The share is sealed with ${holder}'s own passphrase: keep this sheet and the passphrase apart, and never hand either to another officer.</p>
<p>To use it, save the text below (or the QR code's content) as a file and give it with ${use}.</p>
<img class="qr share-qr" alt="QR code of the share text" src="${qr}">
<pre>${escapeHtml(text)}</pre>`;
  return printablePage({ title, body, css: '.share-qr { width: 90mm; height: 90mm; } pre { white-space: pre-wrap; word-break: break-all; }' });
}
