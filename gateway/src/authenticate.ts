import { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import { AuthError, bearerToken, cachedClientTokenVerifier, idempotencyKeyFrom, Principal } from '@ap/auth';
import { unauthenticated } from '@ap/errors';
import { HttpRefusal } from '@ap/http';

/** Each distinct token is verified once, then remembered until it expires (see cachedClientTokenVerifier). */
const verifyClientToken = cachedClientTokenVerifier();

/** The caller's principal from their bearer token; 401 with a challenge when it is missing or invalid. */
export async function authenticate(req: IncomingMessage): Promise<Principal> {
  const token = bearerToken(req.headers);
  const challenge = { 'www-authenticate': 'Bearer realm="ap-pathways"' };
  if (!token) {
    throw new HttpRefusal(
      401,
      unauthenticated('Sign in: send your access token as "Authorization: Bearer <token>" (for development, mint one with `npm run -s token -- --role LA_ADMIN --org la:865`).').message,
      'UNAUTHENTICATED',
      challenge,
    );
  }
  try {
    return await verifyClientToken(token);
  } catch (err) {
    if (err instanceof AuthError) throw new HttpRefusal(401, err.message, 'UNAUTHENTICATED', challenge);
    throw err;
  }
}

/** The client's Idempotency-Key; a malformed one is refused with 400 before anything runs. */
export function idempotencyKey(req: IncomingMessage): string | undefined {
  try {
    return idempotencyKeyFrom(req.headers);
  } catch (err) {
    if (err instanceof GraphQLError) throw new HttpRefusal(400, err.message, 'BAD_USER_INPUT');
    throw err;
  }
}
