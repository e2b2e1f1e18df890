// The batch preflight context, read from the vault on the main thread (batch.ts is the pure part).
import type { CaRecord, KeyType, Profile } from '../../../shared/domain.js';
import { getCertRow } from '../issuance/records.js';
import { dnFromName } from '../pki/names.js';
import { x509 } from '../pki/provider.js';
import type { Vault } from '../vault/vault.js';
import type { BatchPreflight } from './batch.js';
import { profileTargets } from './targets.js';

/** The batch preflight context for `ca` (its certificate read from the vault) and `profile`, with the batch's key type. */
export function batchPreflight(vault: Vault, ca: CaRecord, profile: Profile, keyType: KeyType): BatchPreflight {
  const issuer = new x509.X509Certificate(getCertRow(vault, ca.certificateId)!.der);
  const prefix: { oid: string; value: string }[] = [];
  const c = issuer.subjectName.getField('C')[0];
  const o = issuer.subjectName.getField('O')[0];
  if (c) prefix.push({ oid: '2.5.4.6', value: c });
  if (o) prefix.push({ oid: '2.5.4.10', value: o });
  return {
    targets: profileTargets(profile),
    keyType,
    crlUrl: ca.crlUrl,
    issuer: { name: dnFromName(issuer.subjectName), notBefore: issuer.notBefore, notAfter: issuer.notAfter },
    subjectPrefix: prefix,
  };
}

