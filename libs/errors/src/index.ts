import { GraphQLError } from 'graphql';

/**
 * The stable error codes a client may branch on (extensions.code). Anything else that reaches
 * the edge of a service is an internal fault and is masked.
 */
export const ERROR_CODES = ['BAD_USER_INPUT', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

// SUBGRAPH_UNAVAILABLE: the gateway could not reach a subgraph; its fields are null, the rest stands.
const PUBLIC_CODES = new Set<string>([
  ...ERROR_CODES,
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'SUBGRAPH_UNAVAILABLE',
]);

function error(code: ErrorCode, message: string, extra?: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

/** Input a person can fix; `field` names the input field when there is one. */
export const badUserInput = (message: string, field?: string) =>
  error('BAD_USER_INPUT', message, field ? { field } : undefined);
export const unauthenticated = (message = 'Sign in: this request has no valid access token') =>
  error('UNAUTHENTICATED', message);
export const forbidden = (message = 'You are not allowed to do this') => error('FORBIDDEN', message);
export const notFound = (what: string, id: string) => error('NOT_FOUND', `${what} ${id} was not found`);
export const conflict = (message: string) => error('CONFLICT', message);

export function isPublicError(e: unknown): boolean {
  const code = (e as { extensions?: { code?: unknown } })?.extensions?.code;
  return typeof code === 'string' && PUBLIC_CODES.has(code);
}

export const INTERNAL_MESSAGE = 'Something went wrong on our side; it has been logged. Try again, or contact support.';

/**
 * What a client sees of an error: public errors keep their message and code (without stack
 * traces); anything else becomes a generic INTERNAL_SERVER_ERROR so SQL, stack traces and
 * internal names never leave the service.
 */
export function maskError<T extends { message: string; extensions?: Record<string, unknown> }>(
  formatted: T,
  original: unknown,
): T {
  const cause = (original as { originalError?: unknown })?.originalError ?? original;
  if (isPublicError(formatted) || isPublicError(cause)) {
    const code = (formatted.extensions?.code ?? (cause as GraphQLError).extensions?.code) as string;
    const { stacktrace: _drop, exception: _drop2, ...rest } = formatted.extensions ?? {};
    return { ...formatted, extensions: { ...rest, code } };
  }
  return { ...formatted, message: INTERNAL_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/** A problem with one input field, as the domain rules report it. */
export interface InputProblem {
  field: string;
  message: string;
}

/** All the problems at once, so a person can fix the form in one go. */
export function invalidInput(problems: InputProblem[]): GraphQLError {
  const message = problems.map((p) => p.message).join('; ');
  return error('BAD_USER_INPUT', message, { field: problems[0]?.field, problems });
}
