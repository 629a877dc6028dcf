/**
 * Why a token or an organisation was refused. The message is written for the person holding the
 * token (what is wrong and what to do about it) and never contains the token or a secret.
 * The gateway turns it into an UNAUTHENTICATED GraphQL error.
 */
export class AuthError extends Error {
  override readonly name = 'AuthError';
}
