// An end-entity certificate's validity: the days asked for, back-dated, and kept inside the issuing CA's validity.
import { DAY_MS, validityWindow } from '../pki/certificates.js';

/** The validity a certificate is signed with, and the end the days asked for when that end was cut to the issuer's. */
export interface PlannedValidity {
  notBefore: Date;
  notAfter: Date;
  /** The end `days` asked for, present only when it was past the issuer's end and notAfter was cut to it. */
  requestedNotAfter?: Date;
}

/**
 * The validity of an end-entity certificate of `days` days (1 to 36500) issued at `now` under an issuer valid
 * `issuer.notBefore`..`issuer.notAfter`: notBefore is `now` back-dated by CLOCK_SKEW_MS but not before the
 * issuer's start; notAfter is `now` + days, cut to the issuer's end when it would be past it (RFC 5280 4.1.2.5,
 * 6.1.3 (a)(2): a certificate outside its issuer's validity fails path validation), the asked-for end then in
 * `requestedNotAfter`, which preflight's rfc5280 rule reports. An issuer that is not valid at `now` is not
 * refused here: preflight reports it (and signing-chain.ts refuses to sign with it). Throws CertDeskError
 * INVALID_INPUT for days out of range (pki/certificates.ts validityWindow).
 */
export function plannedValidity(days: number, now: Date, issuer: { notBefore: Date; notAfter: Date }): PlannedValidity {
  const window = validityWindow(days, now);
  const notBefore = window.notBefore < issuer.notBefore ? issuer.notBefore : window.notBefore;
  if (window.notAfter <= issuer.notAfter) return { notBefore, notAfter: window.notAfter };
  return { notBefore, notAfter: issuer.notAfter, requestedNotAfter: window.notAfter };
}

/** Whole days from `now` to `end` (rounded down): the `--days` value that ends at or before `end`. */
export function daysUntil(now: Date, end: Date): number {
  return Math.floor((end.getTime() - now.getTime()) / DAY_MS);
}
