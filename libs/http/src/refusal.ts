/** An error answered as `{ errors: [{ message, extensions: { code } }] }` with this HTTP status and headers. */
export class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
    readonly headers: Record<string, string> = {},
    /** More extensions beside the code (`field`, `problems` of a BAD_USER_INPUT). */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const STATUS_OF_CODE: Record<string, number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409 };

/** The HTTP status that answers a GraphQL error code outside GraphQL (a plain GET route): 500 for an unknown one. */
export function statusOfCode(code: unknown): number {
  return (typeof code === 'string' && STATUS_OF_CODE[code]) || 500;
}
