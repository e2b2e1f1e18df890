// Reading secrets for the CLI: the vault passphrase and file passwords. Never from an argument value,
// where they would land in shell history and the process list.
import { CertDeskError } from '../../shared/errors.js';
import { readInputFile } from '../core/read-input.js';
import { UsageError } from './usage.js';

/** Reads a secret file (at most INPUT_LIMITS.secret bytes, read-input.ts): its first line, without the line ending. */
export function readSecretFile(path: string, what: string): string {
  const text = Buffer.from(readInputFile(path, 'secret', what)).toString('utf8');
  return text.split(/\r?\n/, 1)[0] ?? '';
}

export interface PassphraseSource {
  file?: string | undefined;
  envName: string;
  what: string;
  /** Ask twice on a terminal (a new passphrase). */
  confirm?: boolean;
}

export async function readPassphrase(src: PassphraseSource): Promise<string> {
  if (src.file) return readSecretFile(src.file, src.what);
  const fromEnv = process.env[src.envName];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new UsageError(`${src.what}: set $${src.envName}, use --passphrase-file FILE, or run on a terminal to be asked`);
  }
  const first = await promptHidden(`${src.what}: `);
  if (src.confirm) {
    const second = await promptHidden(`${src.what} (again): `);
    if (first !== second) throw new CertDeskError('INVALID_INPUT', `${src.what}: the two entries differ`, {});
  }
  return first;
}

/** Reads a line from the terminal without echoing it (quorum-commands.ts asks share passphrases with it). */
export function promptHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new UsageError('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
