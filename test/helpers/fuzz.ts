// Seeded, reproducible malformed inputs for the fuzz tests. Every run uses the same seed unless
// CERTDESK_FUZZ_SEED is set, and a failure names the seed and the case so it can be replayed.

/** A small, fast PRNG (mulberry32): 32-bit state, uniform in [0, 1). Not for secrets. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
}

/** The seed of this run: CERTDESK_FUZZ_SEED, or a fixed default so CI is reproducible. */
export function fuzzSeed(): number {
  const env = process.env.CERTDESK_FUZZ_SEED;
  return env ? Number.parseInt(env, 10) >>> 0 : 0x5eed_2026;
}

/**
 * One mutation of `input`: bit flips, a truncation, random bytes inserted, a slice duplicated, or a
 * byte set to 0x00/0x80/0xff (the values that break length fields). Returns a new array.
 */
export function mutate(input: Uint8Array, rng: Rng): Uint8Array {
  const b = Uint8Array.from(input);
  const at = b.length ? rng.int(b.length) : 0;
  switch (rng.int(5)) {
    case 0: {
      for (let i = 0, n = 1 + rng.int(8); i < n && b.length; i++) b[rng.int(b.length)]! ^= 1 << rng.int(8);
      return b;
    }
    case 1:
      return b.subarray(0, at);
    case 2:
      return concat(b.subarray(0, at), rng.bytes(1 + rng.int(16)), b.subarray(at));
    case 3: {
      const len = Math.min(b.length - at, 1 + rng.int(64));
      return concat(b.subarray(0, at + len), b.subarray(at, at + len), b.subarray(at + len));
    }
    default:
      if (b.length) b[at] = rng.pick([0x00, 0x80, 0xff, 0x7f, 0x81, 0x84]);
      return b;
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Text for a failure message: which seed and case to replay. */
export function fuzzCase(seed: number, i: number): string {
  return `fuzz case ${i} (replay with CERTDESK_FUZZ_SEED=${seed})`;
}
