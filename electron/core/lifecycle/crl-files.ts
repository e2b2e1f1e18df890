// The files "crl publish" writes in its folder: per CA "<ca>.crl" (DER) and "<ca>.crl.pem", and one combined
// PEM file of all of them (what nginx's ssl_crl and Apache's SSLCARevocationFile want for a chain).
// Two CAs whose names make the same file name ("Users CA" and "Users-CA" both give "users-ca") get distinct
// files: the first CA (lowest id) keeps the plain name, a later one gets its id as a suffix ("users-ca-ca3").
// CAs are only ever added, and each CA's name depends only on the CAs before it, so a republish writes every
// CA's CRL to the same file as before.
import { join } from 'node:path';
import { allocateName, safeName, TakenNames } from '../file-names.js';
import { listCas } from '../issuance/records.js';
import type { Vault } from '../vault/vault.js';

export const COMBINED_CRL_FILE = 'crl-chain.pem';

export interface CrlFiles {
  derFile: string;
  pemFile: string;
}

/**
 * Every CA's CRL file base name, by CA id: safeName of its name (fallback "ca-<id>"), made distinct from the CAs
 * before it (by id) with allocateName tagged "ca<id>". `cas` is every CA of the vault (listCas), in any order.
 */
export function crlBaseNames(cas: readonly { id: number; name: string }[]): Map<number, string> {
  // The combined file is "crl-chain.pem": a CA's "<base>.crl.pem" can never be that name, so it takes no part.
  const taken = new TakenNames();
  const bases = new Map<number, string>();
  for (const ca of [...cas].sort((a, b) => a.id - b.id)) bases.set(ca.id, allocateName(safeName(ca.name, `ca-${ca.id}`), taken, `ca${ca.id}`));
  return bases;
}

/** The two CRL files of the CA whose base name (crlBaseNames) is `base`, in `folder`. */
export function crlFilesOf(folder: string, base: string): CrlFiles {
  return { derFile: join(folder, `${base}.crl`), pemFile: join(folder, `${base}.crl.pem`) };
}

/** Every file a publish to `folder` could write, for any CA of the vault: what an interrupted one may have left a temporary sibling of. */
export function allCrlFiles(vault: Vault, folder: string): string[] {
  const bases = [...crlBaseNames(listCas(vault)).values()];
  return [...bases.flatMap((base) => Object.values(crlFilesOf(folder, base))), join(folder, COMBINED_CRL_FILE)];
}
