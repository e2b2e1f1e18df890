// The files "crl publish" writes in its folder: per CA "<ca>.crl" (DER) and "<ca>.crl.pem", and one combined
// PEM file of all of them (what nginx's ssl_crl and Apache's SSLCARevocationFile want for a chain).
import { join } from 'node:path';
import { safeName } from '../export/bundle-writer.js';
import { listCas } from '../issuance/records.js';
import type { Vault } from '../vault/vault.js';

export const COMBINED_CRL_FILE = 'crl-chain.pem';

/** A CA's two CRL files in `folder`. */
export function crlFilesOf(folder: string, ca: { id: number; name: string }): { derFile: string; pemFile: string } {
  const base = safeName(ca.name, `ca-${ca.id}`);
  return { derFile: join(folder, `${base}.crl`), pemFile: join(folder, `${base}.crl.pem`) };
}

/** Every file a publish to `folder` could write, for any CA of the vault: what an interrupted one may have left a temporary sibling of. */
export function allCrlFiles(vault: Vault, folder: string): string[] {
  return [...listCas(vault).flatMap((ca) => Object.values(crlFilesOf(folder, ca))), join(folder, COMBINED_CRL_FILE)];
}
