import { createHmac } from 'node:crypto';

/**
 * A pupil's (or a placement's) stand-in for analysts: a keyed hash (HMAC-SHA-256) of the id with
 * the LA's code, so one LA's analyst can follow a pupil across rows and exports, but the same
 * pupil has unrelated stand-ins in two LAs and nobody without the secret can reverse or recompute
 * one from an id. 128 bits, base64url.
 */
export function pseudonym(secret: string, laCode: string | null, kind: 'pupil' | 'placement', id: string): string {
  if (!secret) throw new Error('The pseudonymisation secret is empty');
  const digest = createHmac('sha256', secret).update(`${kind}:${laCode ?? '-'}:${id}`).digest('base64url');
  return `${kind === 'pupil' ? 'P' : 'R'}-${digest.slice(0, 22)}`;
}
