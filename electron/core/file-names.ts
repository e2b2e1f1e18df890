// The one place where CertDesk makes a file or folder name from user data (a holder, an alias, a CA name):
// safe on FAT32/exFAT sticks, NTFS, APFS and ext4, and distinct from the names already taken on a file system
// that compares names case-insensitively.
// Windows rules: https://learn.microsoft.com/windows/win32/fileio/naming-a-file ("Naming Conventions").
import { CertDeskError } from '../../shared/errors.js';

/**
 * The most UTF-8 bytes safeName returns. File systems allow 255 bytes (ext4, APFS) or 255 UTF-16 units
 * (NTFS, exFAT, FAT32 long names) per component; a name made here still gets an extension (".mobileconfig"),
 * a collision suffix ("-2", "-ca12", a serial's "-1a2b3c4d") and, for a bundle folder being written, the
 * ".NAME.partial-<8 hex>" wrapping, all of which must fit in the rest.
 */
export const MAX_NAME_BYTES = 120;

/** Code points kept at most (older CertDesk names were cut here; a long Latin name keeps that length). */
const MAX_NAME_CHARS = 60;

/**
 * Windows device names: reserved with any extension ("con.txt", "nul.tar.gz") and in any case, the
 * superscript-digit ports included (COM¹ LPT³), as the naming conventions list them.
 */
const RESERVED_STEM = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/u;

/** True when Windows would open a device instead of the file `name` (its part before the first dot is reserved). */
export function isReservedName(name: string): boolean {
  return RESERVED_STEM.test(name.split('.')[0]!.toLowerCase());
}

/** The longest prefix of `text` (whole code points) that has at most `bytes` UTF-8 bytes and `chars` code points. */
function cut(text: string, bytes: number, chars: number): string {
  let out = '';
  let used = 0;
  for (const ch of [...text].slice(0, chars)) {
    used += Buffer.byteLength(ch, 'utf8');
    if (used > bytes) break;
    out += ch;
  }
  return out;
}

/**
 * A file or folder name (one path component, no extension) made from user text: NFC, lower case, runs of white
 * space as "-", only letters, digits, ".", "_" and "-" (so none of < > : " / \ | ? * or control characters),
 * no leading or trailing "." or "-" (Windows drops trailing dots and spaces, a leading dot hides a file), at most
 * MAX_NAME_BYTES UTF-8 bytes and 60 code points, and never a Windows device name (CON, NUL, COM1, LPT¹...; such a
 * name gets "_" after its stem: "con_", "nul_.txt"). Text that leaves nothing gives `fallback` (made safe too).
 * Never throws. Two different texts can give the same name: allocateName makes names distinct.
 */
export function safeName(text: string, fallback = 'certificate'): string {
  const cleaned = clean(text);
  const name = cleaned || clean(fallback) || 'file';
  if (!isReservedName(name)) return name;
  const dot = name.indexOf('.');
  return dot < 0 ? `${name}_` : `${name.slice(0, dot)}_${name.slice(dot)}`;
}

function clean(text: string): string {
  const cleaned = text
    .normalize('NFC')
    .replace(/[\p{Cc}<>:"/\\|?*]+/gu, ' ')
    .trim()
    .replace(/\s+/g, '-')
    .replace(/[^\p{L}\p{N}._-]+/gu, '')
    .replace(/^[.-]+|[.-]+$/g, '')
    .toLowerCase();
  // Cutting can leave a trailing "." or "-": strip again.
  return cut(cleaned, MAX_NAME_BYTES, MAX_NAME_CHARS).replace(/[.-]+$/g, '');
}

/** How two names compare on NTFS, APFS, exFAT and FAT: case-insensitively, and APFS also ignores normalisation. */
export function nameKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/** A set of names compared as nameKey does: the names already taken in one folder. */
export class TakenNames {
  private readonly keys = new Set<string>();

  constructor(names: Iterable<string> = []) {
    for (const n of names) this.add(n);
  }

  has(name: string): boolean {
    return this.keys.has(nameKey(name));
  }

  add(name: string): void {
    this.keys.add(nameKey(name));
  }
}

const MAX_ATTEMPTS = 10_000;

/**
 * A name not in `taken` (compared as nameKey does), and adds it there. `wanted` if free; else `wanted-TAG` when a
 * tag is given (say "ca12": the same owner gets the same name on every run), then `wanted-TAG-2`, `-3`...; without
 * a tag `wanted-2`, `wanted-3`... Deterministic: the same wanted names allocated in the same order give the same
 * results. `wanted` is a name from safeName (the suffix keeps it within 255 bytes). Throws CertDeskError IO_ERROR
 * when 10,000 names are all taken.
 */
export function allocateName(wanted: string, taken: TakenNames, tag?: string): string {
  const base = tag === undefined ? wanted : `${wanted}-${tag}`;
  const candidates = function* (): Generator<string> {
    yield wanted;
    if (tag !== undefined) yield base;
    for (let i = 2; i < MAX_ATTEMPTS; i++) yield `${base}-${i}`;
  };
  for (const name of candidates()) {
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
  throw new CertDeskError('IO_ERROR', `cannot make a distinct file name from "${wanted}": ${MAX_ATTEMPTS} names are taken`, { name: wanted });
}
