// Which CAs can sign: the key is in the vault and the CA is valid. One that signs CAs also needs a
// path length that allows another level.
import type { CaRecord } from '../../../shared/domain.js';

export const canSign = (ca: CaRecord): boolean => ca.hasKey && ca.status === 'valid';

export const canSignCas = (ca: CaRecord): boolean => canSign(ca) && ca.pathLength !== 0;
