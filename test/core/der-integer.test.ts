// INTEGERs of any length (issue 11): asn1js's valueDec reads 2^23 and up as 0; integerValue does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as asn1js from 'asn1js';
import { describeInteger, integerInRange, integerValue, pathLengthOf } from '../../electron/core/pki/der-integer.js';
import { x509 } from '../../electron/core/pki/provider.js';

function decodeInteger(hex: string): asn1js.AsnType {
  const der = Buffer.from(hex, 'hex');
  const r = asn1js.fromBER(der);
  assert.equal(r.offset, der.length);
  return r.result;
}

test('integerValue reads 2^23, 2^31, 2^64 + 1 and negatives exactly', () => {
  const twoTo23 = decodeInteger('020400800000');
  assert.equal((twoTo23 as asn1js.Integer).valueBlock.valueDec, 0, 'the asn1js limit this module exists for');
  assert.equal(integerValue(twoTo23), 8_388_608n);
  assert.equal(integerValue(decodeInteger('02037fffff')), 8_388_607n);
  assert.equal(integerValue(decodeInteger('02050080000000')), 2_147_483_648n);
  assert.equal(integerValue(decodeInteger('0209010000000000000001')), 18_446_744_073_709_551_617n);
  assert.equal(integerValue(decodeInteger('0201ff')), -1n);
  assert.equal(integerValue(decodeInteger('02028000')), -32_768n);
  assert.equal(integerValue(decodeInteger('020100')), 0n);
  assert.equal(integerValue(decodeInteger('0400')), undefined, 'an OCTET STRING is not an INTEGER');
  assert.equal(integerValue(undefined), undefined);
});

test('integerInRange returns a number or says what is wrong', () => {
  const fail = (problem: string): Error => new Error(`count ${problem}`);
  assert.equal(integerInRange(decodeInteger('020400800000'), 1, 10_000_000, fail), 8_388_608);
  assert.throws(() => integerInRange(decodeInteger('020100'), 1, 10, fail), { message: 'count is 0, outside 1 to 10' });
  assert.throws(() => integerInRange(decodeInteger('0201ff'), 1, 10, fail), { message: 'count is -1, outside 1 to 10' });
  assert.throws(() => integerInRange(decodeInteger('0400'), 1, 10, fail), { message: 'count is not an INTEGER' });
  const huge = decodeInteger(`0221${'01'.repeat(33)}`);
  assert.throws(() => integerInRange(huge, 1, 10, fail), { message: `count is ${describeInteger(integerValue(huge)!)}, outside 1 to 10` });
  assert.match(describeInteger(integerValue(huge)!), /^a 78-digit number$/);
});

test('pathLengthOf reads what @peculiar/x509 gives for pathLenConstraint 2^23 (a string) and small ones (a number)', () => {
  const reread = (n: number): unknown => new x509.BasicConstraintsExtension(new x509.BasicConstraintsExtension(true, n, true).rawData).pathLength;
  assert.equal(typeof reread(8_388_608), 'string', 'the library behaviour this helper exists for');
  assert.equal(pathLengthOf(reread(8_388_608), 'cert'), 8_388_608);
  assert.equal(pathLengthOf(reread(0), 'cert'), 0);
  assert.equal(pathLengthOf(reread(3), 'cert'), 3);
  assert.equal(pathLengthOf(undefined, 'cert'), null);
  const refused = (value: unknown, message: string): void => {
    assert.throws(() => pathLengthOf(value, 'cert'), { name: 'CertDeskError', code: 'INVALID_INPUT', message });
  };
  refused('2147483648', 'cert: basicConstraints pathLenConstraint is 2147483648, outside 0 to 2147483647');
  refused(-1, 'cert: basicConstraints pathLenConstraint is -1, outside 0 to 2147483647');
  refused('1e3', 'cert: basicConstraints pathLenConstraint is not a whole number');
});
