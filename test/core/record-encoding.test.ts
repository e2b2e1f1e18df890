// The encoding record MACs cover and the set digests: no two different rows encode alike, and a set's
// digest is the same however its records were added and removed.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { canonicalEncode } from '../../electron/core/vault/record-encoding.js';
import { changeSet, EMPTY_SET, macElement, SetAccumulator } from '../../electron/core/vault/set-digest.js';

test('the canonical encoding tells apart what a concatenation would not', () => {
  const differ = (a: Parameters<typeof canonicalEncode>[0], b: Parameters<typeof canonicalEncode>[0]) =>
    assert.notDeepEqual(canonicalEncode(a), canonicalEncode(b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  differ(['ab', 'c'], ['a', 'bc']);
  differ([null], ['']);
  differ([1], ['1']);
  differ([1], [1.5]);
  differ([Buffer.from('x')], ['x']);
  differ([], [null]);
  differ(['é'], ['e\u0301']);
  assert.deepEqual(canonicalEncode(['certdesk', 7, null, Buffer.from([1, 2])]), Buffer.from('0200000008' + Buffer.from('certdesk').toString('hex') + '01000000013' + '7' + '0000000000' + '030000000201' + '02', 'hex'));
});

test('a set digest does not depend on order, and removing undoes adding', () => {
  const macs = Array.from({ length: 20 }, () => randomBytes(32).toString('hex'));
  let forward = EMPTY_SET;
  for (const m of macs) forward = changeSet(forward, macElement(m), 1);
  const backward = new SetAccumulator();
  for (const m of [...macs].reverse()) backward.add(macElement(m));
  assert.deepEqual(forward, backward.value);
  assert.equal(forward.count, 20);
  let shrunk = forward;
  for (const m of macs) shrunk = changeSet(shrunk, macElement(m), -1);
  assert.deepEqual(shrunk, EMPTY_SET);
  // Replacing one element by another (an older copy of a row) changes the digest, not the count.
  const replaced = changeSet(changeSet(forward, macElement(macs[3]!), -1), macElement(randomBytes(32).toString('hex')), 1);
  assert.equal(replaced.count, forward.count);
  assert.notEqual(replaced.digest, forward.digest);
});
