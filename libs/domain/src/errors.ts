/**
 * Every code a {@link DomainRuleError} can carry. Callers (resolvers, importers) switch on these,
 * so they are part of the public API: add new ones, never rename old ones.
 */
export type DomainRuleErrorCode =
  | 'INVALID_DATE'
  | 'INVALID_ARGUMENT'
  | 'INVALID_RANGE'
  | 'INVALID_CALENDAR'
  | 'OUTSIDE_CALENDAR'
  | 'CALENDAR_EXHAUSTED'
  | 'INVALID_UPN'
  | 'OUTSIDE_SCHOOL_YEARS'
  | 'INVALID_YEAR_GROUP'
  | 'UNKNOWN_ATTENDANCE_CODE'
  | 'RETIRED_ATTENDANCE_CODE'
  | 'INVALID_SESSION'
  | 'OVERLAPPING_SESSIONS'
  | 'NOT_A_SCHOOL_DAY';

/**
 * Thrown when input breaks a rule of this library. The message is written for the person who
 * typed the input (it says what is wrong and what to do), so the GraphQL layer can pass it on
 * as-is under BAD_USER_INPUT; `code` is stable for programs.
 */
export class DomainRuleError extends Error {
  override readonly name = 'DomainRuleError';

  constructor(
    readonly code: DomainRuleErrorCode,
    message: string,
  ) {
    super(message);
    // Keeps `instanceof` working when the class is down-compiled or crosses module copies.
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** True when `error` is a {@link DomainRuleError}, optionally with the given code. */
export function isDomainRuleError(error: unknown, code?: DomainRuleErrorCode): error is DomainRuleError {
  return error instanceof DomainRuleError && (code === undefined || error.code === code);
}
