// Main's refusals in the window's words (renderer/src/state/plain-errors.ts): a schema refusal of the real
// channel schemas (electron/service/dispatch.ts) and an engine refusal about one field are shown with the
// field's label, never as "ca.update: crlDays: Too small: expected number to be >=1" (issue 14: internal names
// reach the screen). Before, messageOf showed main's message as it came.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ErrorResult } from '../../shared/errors.js';
import { dispatch } from '../../electron/service/dispatch.js';
import { ApiError, messageOf } from '../../renderer/src/state/api.js';
import { fieldLabel, plainMessage } from '../../renderer/src/state/plain-errors.js';

/** What the window shows when main's real schema refuses `request` on `channel`. */
async function shown(channel: string, request: unknown): Promise<{ message: string; windowText: string; details: unknown }> {
  const never = () => assert.fail('the handler must not run for a refused request');
  const r = (await dispatch({ [channel]: never } as never, channel, request)) as ErrorResult;
  assert.equal(r.ok, false);
  return { message: r.message, windowText: messageOf(new ApiError(r)), details: r.details };
}

test('schema refusals of real channels read as the field label and the rule in words', async () => {
  const crl = await shown('ca.update', { id: 1, crlDays: 0 });
  assert.equal(crl.message, 'ca.update: crlDays: Too small: expected number to be >=1', 'the message for logs and scripts is unchanged');
  assert.equal(crl.windowText, 'CRL validity (days): must be at least 1');
  assert.equal((await shown('ca.update', { id: 1, crlDays: 5000 })).windowText, 'CRL validity (days): must be at most 3650');
  assert.equal((await shown('vault.setBackupReminder', { days: 0 })).windowText, 'Days: must be at least 1');
  assert.equal((await shown('vault.setBackupReminder', { days: 'x' })).windowText, 'Days: must be a whole number');
  assert.equal((await shown('vault.setBackupReminder', { days: 2, extra: 1 })).windowText, 'The request has a field this form does not take: extra');
});

test('the refused input is never copied into the details (a password may be the input)', async () => {
  const secret = 'correct horse battery staple but too long '.repeat(40);
  const r = await shown('ca.update', { id: 1, crlUrl: secret });
  assert.ok(!JSON.stringify(r.details).includes('correct horse'), JSON.stringify(r.details));
  assert.equal(r.windowText, 'CRL address (URL): may have at most 1000 characters');
});

test('an engine refusal that starts with its field name gets the label; other messages stay as main wrote them', () => {
  assert.equal(plainMessage('crl-url: "not a url" is not an absolute URL', { field: 'crl-url' }), 'CRL address (URL): "not a url" is not an absolute URL');
  assert.equal(plainMessage('password: too short: at least 12 characters required', { field: 'password' }), 'Password: too short: at least 12 characters required');
  assert.equal(plainMessage('CA "Root" is retired', { ca: 'Root' }), 'CA "Root" is retired');
  assert.equal(plainMessage('vault is locked', undefined), 'vault is locked');
  assert.deepEqual(['changes.email', 'sans.1.value', 'renewBeforeDays', 'crl-url', 'pfx.data'].map(fieldLabel), ['E-mail', 'Names', 'Renew before days', 'CRL address (URL)', 'Data']);
});
