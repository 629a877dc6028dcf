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
    // A variable GraphQL itself refused (unknown enum value, wrong type, missing) names its field too.
    const field = code === 'BAD_USER_INPUT' && rest.field === undefined ? variableFieldOf(formatted.message) : undefined;
    const named = field ? { field, problems: rest.problems ?? [{ field, message: formatted.message }] } : {};
    return { ...formatted, extensions: { ...rest, code, ...named } };
  }
  return { ...formatted, message: INTERNAL_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

// graphql-js's variable-coercion messages (execution/values.js, utilities/coerceInputValue.js):
//   Variable "$f" got invalid value "KS9" at "f.keyStage"; Value "KS9" does not exist in "KeyStage" enum.
//   Variable "$input" got invalid value {...}; Field "name" of required type "String!" was not provided.
//   Variable "$id" of required type "ID!" was not provided.  /  … of non-null type "ID!" must not be null.
const VARIABLE = /^Variable "\$(\w+)" (?:got invalid value|has invalid value|of required type|of non-null type)/;
const AT_PATH = /^Variable "\$(\w+)" (?:got|has) invalid value .*? at "(\w+(?:\.\w+|\[\d+\])*)"; /s;
// Anchored at the end: the inner message comes last, after the value the client sent.
const INNER_FIELD = /; Field "(\w+)" (?:of required type "[^"]*" was not provided\.|is not defined by type "\w+"\.(?: Did you mean [^;]*)?)$/;

/**
 * The path of the variable a variable-coercion error is about, as the client wrote it
 * (`input.keyStage`, `input.contacts[0].role`, `id`); undefined for any other message.
 */
export function variableFieldOf(message: string): string | undefined {
  const variable = VARIABLE.exec(message);
  if (!variable) return undefined;
  const path = AT_PATH.exec(message)?.[2] ?? variable[1];
  const inner = INNER_FIELD.exec(message);
  return inner ? `${path}.${inner[1]}` : path;
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
