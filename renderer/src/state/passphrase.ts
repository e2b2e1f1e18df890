// The first-run strength meter: a rough estimate of a passphrase's entropy from its length and the
// kinds of characters in it, with repeats and runs discounted. It guides; the vault's KDF and the
// 10-character minimum (checked in main) are what protect.
export type Strength = 'too short' | 'weak' | 'fair' | 'good' | 'strong';

export function passphraseBits(p: string): number {
  const chars = [...p];
  if (chars.length === 0) return 0;
  let pool = 0;
  if (/[a-z]/.test(p)) pool += 26;
  if (/[A-Z]/.test(p)) pool += 26;
  if (/[0-9]/.test(p)) pool += 10;
  if (/[^A-Za-z0-9]/.test(p)) pool += 33;
  // Each character repeating the one before, or continuing a run (abc, 123), adds about one bit.
  let effective = 0;
  for (let i = 0; i < chars.length; i++) {
    const prev = chars[i - 1];
    const cur = chars[i]!;
    const run = prev !== undefined && (prev === cur || Math.abs(cur.codePointAt(0)! - prev.codePointAt(0)!) === 1);
    effective += run ? 1 / Math.log2(pool) : 1;
  }
  return Math.round(effective * Math.log2(pool));
}

export function passphraseStrength(p: string, minLength: number): { strength: Strength; bits: number } {
  const bits = passphraseBits(p);
  if ([...p].length < minLength) return { strength: 'too short', bits };
  const strength: Strength = bits < 45 ? 'weak' : bits < 65 ? 'fair' : bits < 85 ? 'good' : 'strong';
  return { strength, bits };
}
