// The password list of a batch or a renewal run: CSV (holder, alias, file name, password), written to a
// file the operator names, never inside a bundle folder. Each line is flushed as soon as its bundle is
// complete, so an interrupted run keeps the passwords of everything it finished. Cells go through csv-writer.ts,
// so a holder like =HYPERLINK(...) is text; a password never needs that (passwords.ts), so it is written as is.
import { closeSync, fstatSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { CertDeskError } from '../../../shared/errors.js';
import { csvText, startsLikeFormula } from '../csv-writer.js';
import { ioError } from '../files.js';

export const PASSWORD_LIST_HEADER = ['holder', 'alias', 'file', 'password'] as const;

/** One line of the list: the bundle's PFX as "FOLDER/FILE". */
export interface PasswordLine {
  holder: string;
  alias: string | null;
  file: string;
  password: string;
}

export class PasswordList {
  private readonly fd: number;
  readonly path: string;

  /** Opens the list for appending (a resumed run adds to it); a new file gets the header line. Owner-only. */
  constructor(path: string) {
    this.path = path;
    try {
      this.fd = openSync(path, 'a', 0o600);
      if (fstatSync(this.fd).size === 0) this.write([[...PASSWORD_LIST_HEADER]]);
    } catch (e) {
      throw ioError(path, e);
    }
  }

  /**
   * Appends one line and flushes it. The password is written exactly: one a spreadsheet could read as a
   * formula (which checkPassword and generatePassword never let through) is refused with INVALID_INPUT rather
   * than written altered. IO_ERROR when the line cannot be written.
   */
  append(holder: string, alias: string | null, file: string, password: string): void {
    this.appendAll([{ holder, alias, file, password }]);
  }

  /**
   * Appends the lines in one write and flushes them with one fsync (a batch step's bundles). Every password
   * is checked as append() checks it before anything is written (INVALID_INPUT naming the file); IO_ERROR
   * when the lines cannot be written.
   */
  appendAll(lines: PasswordLine[]): void {
    for (const l of lines) {
      if (startsLikeFormula(l.password)) {
        throw new CertDeskError('INVALID_INPUT', `password for ${l.file}: a spreadsheet would read it as a formula (=, +, - or @ at its start or after a ";")`, { field: 'password', file: l.file });
      }
    }
    if (lines.length) this.write(lines.map((l) => [l.holder, l.alias ?? '', l.file, l.password]));
  }

  close(): void {
    closeSync(this.fd);
  }

  private write(rows: string[][]): void {
    try {
      const text = Buffer.from(csvText(rows), 'utf8');
      let off = 0;
      while (off < text.length) off += writeSync(this.fd, text, off, text.length - off);
      fsyncSync(this.fd);
    } catch (e) {
      throw ioError(this.path, e);
    }
  }
}
