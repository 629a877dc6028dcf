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
