// The first-run strength meter: zxcvbn-ts's estimate (shared/passphrase-strength.ts, the same estimator and
// the same rule main applies when it creates the vault or changes its passphrase). Its dictionaries load
// lazily (a separate chunk of the bundle), on the first screen that shows the meter.
import { create } from 'zustand';
import { loadPassphraseEstimator, MIN_PASSPHRASE_SCORE, passphraseWeakness, type PassphraseEstimator } from '../../../shared/passphrase-strength.js';
import { messageOf } from './api.js';

export type Strength = 'too short' | 'very weak' | 'weak' | 'fair' | 'good' | 'strong';
const BY_SCORE: Strength[] = ['very weak', 'weak', 'fair', 'good', 'strong'];

export interface PassphraseVerdict {
  strength: Strength;
  /** zxcvbn's score 0-4 (0 while too short). */
  score: number;
  /** About log2 of the guesses needed. */
  bits: number;
  /** Why it would be refused (too short, or weaker than score MIN_PASSPHRASE_SCORE, with zxcvbn's advice), or null. */
  problem: string | null;
}

/**
 * The meter's verdict on passphrase `p`: the minimum length (`minLength` characters, code points) first, then
 * zxcvbn's score through `estimate`. `problem` is null exactly when main will accept it for a new vault.
 */
export function passphraseStrength(p: string, minLength: number, estimate: PassphraseEstimator): PassphraseVerdict {
  const e = estimate(p);
  if ([...p].length < minLength) return { strength: 'too short', score: 0, bits: e.bits, problem: `At least ${minLength} characters are needed.` };
  const weakness = passphraseWeakness(e);
  return { strength: BY_SCORE[e.score]!, score: e.score, bits: e.bits, problem: weakness === null ? null : weakness[0]!.toUpperCase() + weakness.slice(1) };
}

export { MIN_PASSPHRASE_SCORE };

interface EstimatorState {
  estimate: PassphraseEstimator | null;
  error: string | null;
  /** Loads the estimator's dictionaries once (later calls wait for the same load). */
  load(): Promise<void>;
}

export const usePassphraseEstimator = create<EstimatorState>((set, get) => ({
  estimate: null,
  error: null,
  load: async () => {
    if (get().estimate) return;
    try {
      set({ estimate: await loadPassphraseEstimator(), error: null });
    } catch (e) {
      set({ error: messageOf(e) });
    }
  },
}));
