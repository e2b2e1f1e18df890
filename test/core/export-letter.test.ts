// The hand-over letter: placeholders are checked, replaced whole and literally, and $$ is a dollar sign.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LETTER_TEMPLATE, LETTER_PLACEHOLDERS, checkLetterTemplate, renderLetter } from '../../electron/core/export/letter.js';
import { CertDeskError } from '../../shared/errors.js';

const VALUES: Record<string, string> = {
  $HolderName: 'Zoë Müller',
  $ClientCertPwd: 'Kp7#vR=q2@xN_m4s',
  $ExpiryDate: '2027-03-31',
  $Fingerprint: 'AB:CD:EF',
  $Alias: 'zoe-phone',
  $CaName: 'Example Users CA',
  $PfxFile: 'zoe-phone.pfx',
};

function invalid(fn: () => unknown, check: (e: CertDeskError) => void): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof CertDeskError, String(e));
    assert.equal(e.code, 'INVALID_INPUT');
    check(e);
    return true;
  });
}

test('the default template uses every placeholder and renders without a $ left over', () => {
  checkLetterTemplate(DEFAULT_LETTER_TEMPLATE);
  for (const p of LETTER_PLACEHOLDERS) assert.ok(DEFAULT_LETTER_TEMPLATE.includes(p), `${p} not in the default letter`);
  const text = renderLetter(DEFAULT_LETTER_TEMPLATE, VALUES);
  for (const v of Object.values(VALUES)) assert.ok(text.includes(v), `${v} not in the letter`);
  assert.ok(!text.includes('$'), 'a placeholder was left in the letter');
});

test('a placeholder is replaced whole: $ClientCertPwd is not broken by a shorter name', () => {
  // Values for names that are prefixes of a real placeholder must not be used inside it.
  const withPrefixes = { ...VALUES, $Client: 'WRONG', $Holder: 'WRONG', $Pfx: 'WRONG' };
  assert.equal(renderLetter('pw=$ClientCertPwd.', withPrefixes), 'pw=Kp7#vR=q2@xN_m4s.');
  assert.equal(renderLetter('$HolderName $PfxFile', withPrefixes), 'Zoë Müller zoe-phone.pfx');
  assert.equal(renderLetter('$HolderName, $HolderName!', VALUES), 'Zoë Müller, Zoë Müller!');
  assert.equal(renderLetter('[$Alias]($PfxFile)', VALUES), '[zoe-phone](zoe-phone.pfx)');
});

test('values are inserted literally, never expanded again', () => {
  const values = { ...VALUES, $HolderName: '$ClientCertPwd $$ $& $1', $Alias: '$$HolderName' };
  assert.equal(renderLetter('Dear $HolderName ($Alias)', values), 'Dear $ClientCertPwd $$ $& $1 ($$HolderName)');
});

test('$$ is a literal dollar sign, also in front of a placeholder name', () => {
  assert.equal(renderLetter('Costs: US$$5, $$$$, $$HolderName', VALUES), 'Costs: US$5, $$, $HolderName');
  assert.equal(renderLetter('$$$HolderName', VALUES), '$Zoë Müller');
  checkLetterTemplate('A $ alone, a $5 note and US$ are not placeholders.');
});

test('unknown $Words are listed together with the known placeholders', () => {
  invalid(
    () => checkLetterTemplate('Hi $HolderName, your $Password for $PfxFiles and $Password again'),
    (e) => {
      assert.match(e.message, /unknown placeholders \$Password, \$PfxFiles;/);
      for (const p of LETTER_PLACEHOLDERS) assert.ok(e.message.includes(p), `${p} not listed as known`);
      assert.match(e.message, /\$\$ for a literal \$/);
      assert.deepEqual(e.details?.unknown, ['$Password', '$PfxFiles']);
    },
  );
  invalid(() => checkLetterTemplate('$clientcertpwd'), (e) => assert.match(e.message, /unknown placeholder \$clientcertpwd;/));
  invalid(() => checkLetterTemplate('   '), (e) => assert.match(e.message, /empty/));
  invalid(() => renderLetter('Hi $Nmae', VALUES), (e) => assert.match(e.message, /\$Nmae/));
});

test('a placeholder without a value is refused, and the message shows no value', () => {
  const { $ClientCertPwd: _unused, ...noPassword } = VALUES;
  invalid(
    () => renderLetter('Password: $ClientCertPwd, for $HolderName', noPassword),
    (e) => {
      assert.match(e.message, /no value for \$ClientCertPwd$/);
      assert.ok(!e.message.includes(VALUES.$HolderName!));
    },
  );
  // Placeholders the template does not use need no value.
  assert.equal(renderLetter('Hello $HolderName', { $HolderName: 'Ann' }), 'Hello Ann');
});
