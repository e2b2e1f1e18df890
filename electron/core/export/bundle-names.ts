// A bundle's folder and file names, apart from the builders so that clearing an interrupted delivery's leftovers
// (delivery/clear.ts) finds them without loading what makes a bundle.
import type { CertRow } from '../issuance/records.js';
import { safeName } from '../file-names.js';
import type { BundleFacts } from './bundle-content.js';

/** The base of the bundle's folder and file names: the alias, else the holder, made safe for any file system. */
export function bundleBaseName(facts: Pick<BundleFacts, 'alias' | 'holder'>): string {
  return safeName(facts.alias ?? facts.holder);
}

/** The bundle folder's name for a certificate: alias or holder, and the serial's first 8 hex digits. */
export function bundleFolderName(row: Pick<CertRow, 'alias' | 'holder' | 'serial'>): string {
  return `${bundleBaseName(row)}-${row.serial.slice(0, 8)}`;
}
