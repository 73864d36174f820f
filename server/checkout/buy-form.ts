import { z } from 'zod';
import { ATTESTATION } from './attestation.ts';

/** The three confirmations, in the order the buy page shows them. */
const BOXES = [
  { name: 'qualifiedInvestor', label: ATTESTATION.qualifiedInvestor },
  { name: 'acceptTerms', label: ATTESTATION.terms },
  { name: 'notAdvice', label: ATTESTATION.notAdvice },
] as const;

/** The buy form: a nonce (idempotency key) and the three confirmations. Any price field is ignored. */
export const checkoutForm = z.object({
  attempt: z.uuid(),
  qualifiedInvestor: z.literal('yes'),
  acceptTerms: z.literal('yes'),
  notAdvice: z.literal('yes'),
  /** An offer's code from the link (/theses/:slug?offer=CODE), checked again on the server (offers.ts). */
  offer: z.string().max(64).optional(),
});

/**
 * The boxes as the buy page shows them. After a refused post, each keeps what the buyer ticked and
 * an unticked one is marked at the field (a screen reader hears which one, not only a colour).
 */
export function attestationBoxes(posted?: Record<string, unknown>) {
  return BOXES.map(({ name, label }) => {
    const checked = posted?.[name] === 'yes';
    return { name, label, checked, invalid: posted !== undefined && !checked };
  });
}
