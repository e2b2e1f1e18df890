// The officers' split forms in Chromium (issue 15): the holders' passphrases the e2e tests type, filling the three
// officers of a SplitFields form, and unlocking then going to a screen.
import type { Locator, Page } from 'playwright-core';
import { HOLDER_PASSPHRASES } from './holders.js';

export const OFFICER_VAULT_PASSPHRASE = 'officer splits app vault passphrase';
export const OFFICER_PASS = HOLDER_PASSPHRASES;

/** Fills officers Alice, Bob and Carol of a split form (renderer SplitFields) inside `scope`. */
export async function fillOfficers(scope: Locator): Promise<void> {
  for (const [i, name] of ['Alice', 'Bob', 'Carol'].entries()) {
    const group = scope.getByRole('group', { name: `Officer ${i + 1}` });
    await group.getByLabel('Name', { exact: true }).fill(name);
    await group.getByLabel(`${name}’s share passphrase`, { exact: true }).fill(OFFICER_PASS[name]!);
    await group.getByLabel(`${name}’s share passphrase again`, { exact: true }).fill(OFFICER_PASS[name]!);
  }
}

/** Unlocks the vault on the lock screen with `passphrase` and opens `section` from the main navigation. */
export async function unlockAndGo(page: Page, section: 'Certificate authorities' | 'Settings', passphrase = OFFICER_VAULT_PASSPHRASE): Promise<void> {
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: section, exact: true }).click();
}
