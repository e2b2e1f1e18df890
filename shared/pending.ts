// Pending deliveries: work an operation committed to the vault but whose files (a bundle, a PEM file, CRLs)
// were not all written, or whose password did not reach its place, when it stopped. Shared by the engine,
// the CLI ("certdesk pending") and the renderer (the banner). Plain data only.
import type { ErrorCode } from './errors.js';

export const DELIVERY_KINDS = ['bundle', 'pem', 'crls'] as const;
/** bundle: a certificate's hand-over folder with its PFX; pem: a certificate as a PEM file; crls: every CA's CRL in a folder. */
export type DeliveryKind = (typeof DELIVERY_KINDS)[number];

export const DELIVERY_OPERATIONS = ['issue', 'renew', 'export', 'batch', 'crl.publish'] as const;
/** The operation that committed the work. */
export type DeliveryOperation = (typeof DELIVERY_OPERATIONS)[number];

/** One undelivered piece of work, as `certdesk pending` and the app's banner list it. */
export interface PendingDelivery {
  id: number;
  kind: DeliveryKind;
  operation: DeliveryOperation;
  certificateId: number | null;
  /** The certificate's holder (bundle and PEM deliveries). */
  holder: string | null;
  /** The folder a bundle or the CRLs go into, or the PEM file. */
  target: string;
  /** When the operation committed it. */
  since: string;
  /** Files besides the screen that receive the new password: the password list, the hand-over slip, the letter. */
  passwordTo: string[];
  /** Finishing it makes a new PFX password: the first one was never stored, so no one can have it. */
  newPassword: boolean;
  /** One line for people: what it is and where it goes. */
  summary: string;
}

/** A delivery `pending resume` finished. */
export interface FinishedDelivery {
  delivery: PendingDelivery;
  /** The bundle folder, the PEM file, or the CRL files written. */
  files: string[];
  /** The new PFX password of a bundle (shown once; never stored); null for PEM and CRLs. */
  password: string | null;
}

/** A delivery `pending resume` could not finish; it stays pending. */
export interface FailedDelivery {
  delivery: PendingDelivery;
  code: ErrorCode;
  message: string;
}
