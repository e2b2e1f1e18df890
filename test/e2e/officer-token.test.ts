// A CA key on a PKCS#11 token in the app (issue 15), in Chromium through the harness (the real main process, the
// real page) with a SoftHSM2 token in a temporary folder: the root CA wizard's "Where the key lives" (the module
// picked through "Choose module file…", the token, a key label, the PIN: a wrong one refused and cleared) makes
// the root's key on the token (pkcs11-tool: sensitive, never extractable); the CA panel says where the key is. The
// vault then locks (main logs out of the token and closes its session) and unlocks: creating an intermediate
// under the root opens "Log in to token “…” for CA “Root”"; a wrong PIN is shown there and signs nothing; the
// right PIN logs in and the same request, made again, signs. openssl verifies the intermediate against the root
// saved from the app, and the root's public key is the token key's. Then "Import CA…" adopts a key already on
// the token (softhsm2-util put it there), picked from the keys the token shows, with its certificate file. axe:
// the wizard's token step, the panel, the PIN dialog and the import wizard's token step.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createVault } from '../../electron/core/issuance/new-vault.js';
import { startHarness } from '../harness/server.js';
import { assertNoSeriousA11y, launchChromium, until } from '../helpers/browser.js';
import { TEST_KDF } from '../helpers/engine-vault.js';
import { needSoftHsm, softHsm, SOFTHSM_MODULE, USER_PIN } from '../helpers/softhsm.js';
import { tempDir } from '../helpers/tmp.js';
import { needTools, runOk } from '../helpers/tools.js';

const PASSPHRASE = 'token officer vault passphrase';
const TOKEN = 'CertDesk Root Token';
const WRONG_PIN = '000000';

test('a root CA with its key on a PKCS#11 token, from the wizard; the PIN dialog (a wrong PIN, then the right one) signs under it', { timeout: 240_000 }, async (t) => {
  if (!needSoftHsm(t) || !needTools(t, 'openssl')) return;
  const browser = await launchChromium(t);
  if (!browser) return;
  t.after(() => browser.close());
  const work = tempDir(t);
  const hsm = softHsm(work);
  const serial = hsm.initToken(TOKEN);
  // A key already on the token, for the import wizard: an RSA key put there by softhsm2-util, its root by openssl.
  const openssl = (...args: string[]) => runOk('openssl', args, { cwd: work });
  openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'adopted.key');
  runOk('softhsm2-util', ['--import', join(work, 'adopted.key'), '--token', TOKEN, '--label', 'adopted-key', '--id', '0c0d', '--pin', USER_PIN], { env: { ...process.env, ...hsm.env } });
  openssl('req', '-x509', '-key', 'adopted.key', '-out', 'adopted-root.pem', '-subj', '/CN=Adopted Token Root', '-days', '30', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  // The harness runs main in this process: the SoftHSM module reads its configuration from this environment.
  process.env.SOFTHSM2_CONF = hsm.conf;
  const vaultPath = join(work, 'vault.certdesk');
  (await createVault(vaultPath, PASSPHRASE, { kdf: { ...TEST_KDF } })).close();

  const pageErrors: string[] = [];
  const harness = await startHarness({ vaultPath, workDir: work, browser, onPage: (p) => p.on('pageerror', (e) => pageErrors.push(e.message)) });
  t.after(() => harness.close());
  const page = harness.page!;
  const unlockVault = async () => {
    await page.getByLabel('Passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
  };
  await unlockVault();
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Certificate authorities', exact: true }).click();
  const creates = (name: string) => (harness.traffic.requests('ca.create') as { name: string; pkcs11?: { pin: string } }[]).filter((r) => r.name === name);

  // The root CA wizard: its key on the token.
  await page.getByRole('button', { name: 'Create root CA…' }).click();
  const wizard = page.getByRole('dialog', { name: 'Create a root CA' });
  await wizard.getByLabel('Name in CertDesk').fill('Root');
  await wizard.getByLabel('Common name (CN)').fill('Token Root CA');
  await wizard.getByLabel('Key', { exact: true }).selectOption('ec-p256');
  await wizard.getByRole('radio', { name: /^On a smart card or HSM \(PKCS#11\)/ }).check();
  const submit = wizard.getByRole('button', { name: 'Create root CA' });
  assert.equal(await submit.isDisabled(), true);
  assert.equal(await wizard.getByTestId('why-disabled').textContent(), 'Choose the PKCS#11 module. Type the token’s PIN.');
  // SoftHSM2 is installed at a well-known path, so it is offered; choosing its file through the dialog works too.
  // The modules arrive with token.modules after the choice is made: wait for the option (the test's time limit fails it if it never comes).
  await until(async () => (await wizard.getByLabel('PKCS#11 module').locator(`option[value="${SOFTHSM_MODULE}"]`).count()) === 1);
  harness.answer('openModule', SOFTHSM_MODULE);
  await wizard.getByRole('button', { name: 'Choose module file…' }).click();
  await until(async () => (await wizard.getByLabel('PKCS#11 module').inputValue()) === SOFTHSM_MODULE);
  assert.equal(harness.record.dialogs.at(-1), 'openModule');
  const tokenSelect = wizard.getByLabel('Token', { exact: true });
  await tokenSelect.locator('option', { hasText: `${TOKEN} (SoftHSM v2, serial ${serial})` }).waitFor({ state: 'attached' });
  await tokenSelect.selectOption(TOKEN);
  await wizard.getByLabel('Key label on the token').fill('root-key');
  await wizard.getByLabel('Token PIN').fill(WRONG_PIN);
  await assertNoSeriousA11y(page, 'root CA wizard, key on a token');

  // A wrong PIN: refused in the wizard, the PIN field cleared, no CA and no key made.
  await submit.click();
  await wizard.getByRole('alert').filter({ hasText: `token "${TOKEN}" (CA "Root") in PKCS#11 module ${SOFTHSM_MODULE} refused the PIN` }).waitFor();
  assert.equal(await wizard.getByLabel('Token PIN').inputValue(), '', 'the PIN is cleared after it was sent');
  assert.doesNotMatch(hsm.tool(['--list-objects', '--login', '--pin', USER_PIN, '--token-label', TOKEN]), /root-key/);
  await wizard.getByLabel('Token PIN').fill(USER_PIN);
  await submit.click();
  await page.getByRole('rowheader', { name: 'Root' }).waitFor();
  assert.equal(creates('Root').length, 2);
  assert.deepEqual(
    creates('Root').map((r) => r.pkcs11?.pin),
    [WRONG_PIN, USER_PIN],
  );

  // On the token: sensitive, never extractable, for signing only.
  const objects = hsm.tool(['--list-objects', '--login', '--pin', USER_PIN, '--token-label', TOKEN]);
  const block = objects.split(/\n(?=\S)/).find((b) => b.startsWith('Private Key Object') && b.includes('label:      root-key\n'));
  assert.ok(block, `no private key labelled root-key in:\n${objects}`);
  assert.match(block, /Access:\s+sensitive, always sensitive, never extractable, local/);

  // The panel says where the key lives; the key cannot be exported; the certificate is saved as PEM.
  await page.getByRole('rowheader', { name: 'Root' }).getByRole('button', { name: 'Root' }).click();
  const rootPanel = page.getByRole('complementary', { name: 'Root' });
  await rootPanel.getByTestId('ca-key-place').filter({ hasText: 'ECDSA' }).waitFor();
  assert.match((await rootPanel.getByTestId('ca-key-place').textContent())!, /\(on a PKCS#11 token: it never leaves it\)$/);
  assert.equal(await rootPanel.getByTestId('ca-token').textContent(), `“${TOKEN}” (serial ${serial}), key “root-key”`);
  await rootPanel.getByText(SOFTHSM_MODULE, { exact: true }).waitFor();
  assert.equal(await rootPanel.getByRole('button', { name: 'Export with key…' }).isDisabled(), true);
  await assertNoSeriousA11y(page, 'CA panel of a token CA');
  const saveAsPem = async (panel: typeof rootPanel, ca: string, file: string) => {
    await panel.getByRole('button', { name: 'Save as…' }).click();
    const save = page.getByRole('dialog', { name: `Save the certificate of ${ca}` });
    await save.getByRole('button', { name: 'Choose…' }).click();
    await save.getByRole('button', { name: 'Save', exact: true }).click();
    await panel.getByText(`Saved 1 certificate(s) to ${join(work, file)}.`).waitFor();
  };
  await saveAsPem(rootPanel, 'Root', 'Root.pem');

  // Lock and unlock: main logs out of the token, so signing with the root now needs its PIN.
  await page.getByRole('button', { name: 'Lock vault' }).click();
  await page.getByRole('heading', { name: 'CertDesk is locked' }).waitFor();
  await unlockVault();
  await page.getByRole('heading', { level: 1, name: 'Certificate authorities' }).waitFor();

  await page.getByRole('button', { name: 'Create intermediate CA…' }).click();
  const create = page.getByRole('dialog', { name: 'Create an intermediate CA' });
  await create.getByLabel('Name in CertDesk').fill('Issuing CA');
  await create.getByLabel('Common name (CN)').fill('Token Issuing CA');
  await create.getByLabel('Key', { exact: true }).selectOption('ec-p256');
  await create.getByRole('button', { name: 'Create intermediate CA' }).click();
  const pinDialog = page.getByRole('dialog', { name: `Log in to token “${TOKEN}” for CA “Root”` });
  await pinDialog.waitFor();
  const logIn = pinDialog.getByRole('button', { name: 'Log in and continue' });
  assert.equal(await logIn.isDisabled(), true);
  assert.equal(await pinDialog.getByTestId('why-disabled').textContent(), 'Type the token’s PIN.');
  await assertNoSeriousA11y(page, 'token PIN dialog');

  // A wrong PIN: shown in the dialog, cleared, nothing signed.
  await pinDialog.getByLabel('Token PIN').fill(WRONG_PIN);
  await logIn.click();
  await pinDialog.getByRole('alert').waitFor();
  // The second wrong PIN on this token (the first was in the wizard): SoftHSM now flags CKF_USER_PIN_COUNT_LOW.
  assert.equal(
    await pinDialog.getByRole('alert').textContent(),
    `token "${TOKEN}" (CA "Root") in PKCS#11 module ${SOFTHSM_MODULE} refused the PIN; the token says few tries are left before the PIN locks; nothing was signed`,
  );
  assert.equal(await pinDialog.getByLabel('Token PIN').inputValue(), '');
  await assertNoSeriousA11y(page, 'token PIN dialog with a refused PIN');
  assert.equal(creates('Issuing CA').length, 1, 'nothing was made again yet');
  assert.equal(await page.getByRole('rowheader', { name: 'Issuing CA' }).count(), 0);

  // The right PIN: logged in, and the intermediate is created by the same request, made again.
  await pinDialog.getByLabel('Token PIN').fill(USER_PIN);
  await logIn.click();
  await page.getByRole('rowheader', { name: 'Issuing CA' }).waitFor();
  await until(async () => (await pinDialog.count()) === 0 || !(await pinDialog.isVisible()));
  const issuing = creates('Issuing CA');
  assert.equal(issuing.length, 2);
  assert.deepEqual(issuing[1], issuing[0], 'the same request, made again');
  assert.deepEqual(
    (harness.traffic.requests('ca.tokenLogin') as { pin: string }[]).map((r) => r.pin),
    [WRONG_PIN, USER_PIN],
  );

  // openssl: the intermediate verifies against the root saved from the app, whose public key is the token key's.
  await page.getByRole('rowheader', { name: 'Issuing CA' }).getByRole('button', { name: 'Issuing CA' }).click();
  const issuingPanel = page.getByRole('complementary', { name: 'Issuing CA' });
  await issuingPanel.getByTestId('ca-key-place').filter({ hasText: '(kept in the vault)' }).waitFor();
  await saveAsPem(issuingPanel, 'Issuing CA', 'Issuing-CA.pem');
  const verified = openssl('verify', '-CAfile', join(work, 'Root.pem'), join(work, 'Issuing-CA.pem')).stdout;
  assert.equal(verified, `${join(work, 'Issuing-CA.pem')}: OK\n`);
  hsm.tool(['--read-object', '--type', 'pubkey', '--label', 'root-key', '--token-label', TOKEN, '--output-file', join(work, 'token-pub.der')]);
  const tokenKey = openssl('pkey', '-pubin', '-inform', 'DER', '-in', 'token-pub.der', '-outform', 'PEM').stdout;
  const rootKey = openssl('x509', '-in', 'Root.pem', '-noout', '-pubkey').stdout;
  assert.equal(rootKey, tokenKey, 'the root certificate carries the token key');
  assert.doesNotMatch(readFileSync(join(work, 'Root.pem'), 'utf8'), /PRIVATE KEY/);

  // Import a CA whose key is already on the token: its certificate file, the key picked from the token's list.
  await page.getByRole('button', { name: 'Import CA…' }).click();
  const importing = page.getByRole('dialog', { name: 'Import a CA' });
  await importing.getByLabel('Name in CertDesk').fill('Adopted Root');
  await importing.getByRole('radio', { name: /^A certificate whose key is on a smart card or HSM/ }).check();
  await importing.getByLabel('CA certificate (PEM)').setInputFiles(join(work, 'adopted-root.pem'));
  await importing.getByLabel('PKCS#11 module').selectOption(SOFTHSM_MODULE);
  const importToken = importing.getByLabel('Token', { exact: true });
  await importToken.locator('option', { hasText: TOKEN }).waitFor({ state: 'attached' });
  await importToken.selectOption(TOKEN);
  const keyOnToken = importing.getByLabel('Key on the token');
  assert.deepEqual(await keyOnToken.locator('option').allTextContents(), ['Choose…', 'adopted-key', 'root-key'], 'the keys the token shows');
  await keyOnToken.selectOption('adopted-key');
  await importing.getByLabel('Token PIN').fill(USER_PIN);
  await assertNoSeriousA11y(page, 'import wizard, key on a token');
  await importing.getByRole('button', { name: 'Import CA' }).click();
  await page.getByRole('rowheader', { name: 'Adopted Root' }).getByRole('button', { name: 'Adopted Root' }).click();
  const adoptedPanel = page.getByRole('complementary', { name: 'Adopted Root' });
  await adoptedPanel.getByTestId('ca-token').filter({ hasText: `“${TOKEN}” (serial ${serial}), key “adopted-key”` }).waitFor();
  const imported = harness.traffic.requests('ca.import') as { pkcs11?: { keyLabel: string; cert: string } }[];
  assert.equal(imported.length, 1);
  assert.equal(imported[0]!.pkcs11?.keyLabel, 'adopted-key');
  assert.equal(imported[0]!.pkcs11?.cert, readFileSync(join(work, 'adopted-root.pem'), 'utf8'));
  assert.deepEqual(pageErrors, []);
});
