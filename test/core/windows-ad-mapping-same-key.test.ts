// A revoked or expired certificate's mapping is removed by ad-mapping's script, but not its X509:<SKI> string when
// a valid certificate of the same holder has the same key (issue 12 review): `renew --same-key --revoke-old` of a
// computer certificate, then the script for the old one, removed the very string that mapped the new one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { revokeCertificates } from '../../electron/core/issuance/revocation.js';
import { renewCertificate } from '../../electron/core/lifecycle/renew.js';
import { adMappingOf } from '../../electron/core/windows/ad-mapping.js';
import { adMappingReport } from '../../electron/core/windows/ad-mapping-format.js';
import { selectForAdMapping } from '../../electron/core/windows/ad-mapping-select.js';
import { newVault } from '../helpers/engine-vault.js';

const pc = { ca: 'Win', profile: 'device', name: 'pc-7', sans: [{ type: 'dns' as const, value: 'pc-7.corp.test' }], keyType: 'ec-p256' as const, recipient: { account: 'pc-7$' } };

test('ad-mapping of a revoked certificate keeps the X509:<SKI> string a valid same-key renewal shares, and says why', async (t) => {
  const { vault } = await newVault(t);
  await createCa(vault, { name: 'Win', subject: 'CN=Win CA,O=Example,C=DE', keyType: 'ec-p256', days: 3650 });
  const old = (await issueCertificate(vault, pc)).record;
  const renewed = (await renewCertificate(vault, String(old.id), { sameKey: true })).record;
  revokeCertificates(vault, [String(old.id)], 'superseded');
  const oldMap = adMappingOf(new Uint8Array(Buffer.from(old.pem.replace(/-----[^-]+-----|\s/g, ''), 'base64')));
  const ski = oldMap.ski!;
  assert.match(ski, /^X509:<SKI>[0-9a-f]{40}$/);

  const subjects = selectForAdMapping(vault, { certificates: [String(old.id)] });
  assert.deepEqual(subjects.map((s) => [s.state, s.skiSharedWith]), [['revoked', [renewed.id]]]);
  const ps = adMappingReport(subjects, 'powershell');
  const removes = ps.output.split('\n').filter((l) => l.startsWith('Set-ADComputer'));
  assert.deepEqual(removes, [
    `Set-ADComputer -Identity 'pc-7$' -Remove @{altSecurityIdentities='${oldMap.issuerSerial}'} -ErrorAction Continue`,
    `Set-ADComputer -Identity 'pc-7$' -Remove @{altSecurityIdentities='${oldMap.sha1PublicKey}'} -ErrorAction Continue`,
  ]);
  assert.ok(ps.output.includes(`# ${ski} is kept: it also maps certificate ${renewed.id} (valid, the same key): not removed\n`), ps.output);
  assert.deepEqual(ps.warnings, [
    `pc-7 (certificate ${old.id}) is revoked: a mapping to it grants nothing (a domain controller refuses a revoked certificate) and should be removed from the account; the PowerShell script removes it (-Remove)`,
    `pc-7 (certificate ${old.id}): ${ski} is kept: it also maps certificate ${renewed.id} (valid, the same key)`,
  ]);
  const text = adMappingReport(subjects, 'text').output;
  assert.deepEqual(text.split('\n\n')[0]!.split('\n').slice(-3), [oldMap.issuerSerial, oldMap.sha1PublicKey, `# ${ski} is kept: it also maps certificate ${renewed.id} (valid, the same key): do not remove it`]);

  // Once the renewal is revoked too, nothing valid shares the key: every string goes.
  revokeCertificates(vault, [String(renewed.id)], 'keyCompromise');
  const all = selectForAdMapping(vault, { certificates: [String(old.id)] });
  assert.deepEqual(all.map((s) => s.skiSharedWith), [undefined]);
  assert.equal(adMappingReport(all, 'powershell').output.split('\n').filter((l) => l.startsWith('Set-ADComputer') && l.includes(' -Remove ')).length, 3);
});

test('ad-mapping of a revoked certificate renewed with a new key removes all three strings', async (t) => {
  const { vault } = await newVault(t);
  await createCa(vault, { name: 'Win', subject: 'CN=Win CA,O=Example,C=DE', keyType: 'ec-p256', days: 3650 });
  const old = (await issueCertificate(vault, pc)).record;
  await renewCertificate(vault, String(old.id), { sameKey: false });
  revokeCertificates(vault, [String(old.id)], 'superseded');
  const subjects = selectForAdMapping(vault, { certificates: [String(old.id)] });
  assert.deepEqual(subjects.map((s) => s.skiSharedWith), [undefined]);
  assert.equal(adMappingReport(subjects, 'powershell').output.split('\n').filter((l) => l.startsWith('Set-ADComputer') && l.includes(' -Remove ')).length, 3);
});
