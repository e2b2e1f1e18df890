// renderer/src/state/certificates.ts's sort helpers: what a click on a column header asks main for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SORT, nextSort, sortOf } from '../../renderer/src/state/certificates.js';

test("sortOf fills in main's default (expiry, ascending) and keeps a sort given", () => {
  assert.deepEqual(DEFAULT_SORT, { sort: 'expiry', direction: 'asc' });
  assert.deepEqual(sortOf({}), { sort: 'expiry', direction: 'asc' });
  assert.deepEqual(sortOf({ sort: 'holder' }), { sort: 'holder', direction: 'asc' });
  assert.deepEqual(sortOf({ sort: 'ca', direction: 'desc' }), { sort: 'ca', direction: 'desc' });
});

test('nextSort: another column sorts ascending, the sorted one flips, the search and filters stay', () => {
  const filter = { search: 'öztürk', status: 'valid' as const, ca: 3 };
  assert.deepEqual(nextSort(filter, 'holder'), { ...filter, sort: 'holder', direction: 'asc' });
  assert.deepEqual(nextSort({ ...filter, sort: 'holder', direction: 'asc' }, 'holder'), { ...filter, sort: 'holder', direction: 'desc' });
  assert.deepEqual(nextSort({ ...filter, sort: 'holder', direction: 'desc' }, 'holder'), { ...filter, sort: 'holder', direction: 'asc' });
  assert.deepEqual(nextSort({ ...filter, sort: 'holder', direction: 'desc' }, 'status'), { ...filter, sort: 'status', direction: 'asc' });
  // No sort given is expiry ascending, so the Expires header's first click flips it.
  assert.deepEqual(nextSort({}, 'expiry'), { sort: 'expiry', direction: 'desc' });
  assert.deepEqual(nextSort({}, 'issued'), { sort: 'issued', direction: 'asc' });
});
