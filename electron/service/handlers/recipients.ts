// The recipients directory: one recipient with its certificates, and editing it (SID and account checked as at
// issue, written as an authenticated record, audited as recipient.update).
import type { Handlers } from '../../../shared/api.js';
import { getRecipientView, updateRecipient } from '../../core/issuance/recipient-directory.js';
import type { ServiceSession } from '../session.js';
import { recipientDeliveryChoice } from '../../core/delivery/last-delivery.js';

export function recipientHandlers(s: ServiceSession): Handlers<'recipient.get' | 'recipient.update'> {
  return {
    // With the devices of the recipient's latest delivery, which the issue wizard preselects (issue 14).
    'recipient.get': ({ id }) => ({ ...getRecipientView(s.unlocked(), id), lastDelivery: recipientDeliveryChoice(s.unlocked(), id) }),
    'recipient.update': ({ id, changes }) => updateRecipient(s.unlocked(), id, changes),
  };
}
