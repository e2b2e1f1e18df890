// Shared setup of the recipient SID/account tests (issue 12): two SIDs of one domain, a vault with a P-256 CA
// "Win", and a user-certificate request for Alice with a UPN.
import type { TestContext } from 'node:test';
import { createCa } from '../../electron/core/issuance/cas.js';
import { newVault } from './engine-vault.js';

export const SID = 'S-1-5-21-3623811015-3361044348-30300820-1013';
export const SID2 = 'S-1-5-21-3623811015-3361044348-30300820-1014';

/** A fresh test vault (engine-vault.ts newVault) with the CA "Win" (CN=Win CA,O=Example,C=DE, ec-p256). */
export async function windowsVault(t: TestContext) {
  const v = await newVault(t);
  await createCa(v.vault, { name: 'Win', subject: 'CN=Win CA,O=Example,C=DE', keyType: 'ec-p256', days: 3650 });
  return v;
}

/** An issue request for a user certificate under "Win" to Alice Admin (UPN alice@corp.test). */
export const alice = { ca: 'Win', profile: 'user', name: 'Alice Admin', sans: [{ type: 'upn' as const, value: 'alice@corp.test' }], keyType: 'ec-p256' as const };
