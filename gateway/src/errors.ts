import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { ERROR_CODES, maskError } from '@ap/errors';
import { currentTraceId, Logger } from '@ap/logger';
import { tokenLimitMessage } from './limits';

/**
 * Extension keys a client may see; everything else (serviceName, the subgraph's response, ...) is
 * dropped. `field` and `problems` come with BAD_USER_INPUT; `service` with SUBGRAPH_UNAVAILABLE.
 */
const VISIBLE_EXTENSIONS = ['code', 'field', 'problems', 'service'] as const;

/** A subgraph could not be reached: its fields are null, the rest of the answer stands. */
export const SUBGRAPH_UNAVAILABLE = 'SUBGRAPH_UNAVAILABLE';

export function subgraphUnavailable(service: string): GraphQLError {
  return new GraphQLError(`The ${service} service is unavailable; its fields are null. Try again shortly.`, {
    extensions: { code: SUBGRAPH_UNAVAILABLE, service },
  });
}

const PERSISTED_QUERY_MESSAGES: Record<string, string> = {
  'provided sha does not match query':
    'The persisted-query hash (extensions.persistedQuery.sha256Hash) is not the SHA-256 of the query sent: send the hex SHA-256 of exactly this query text.',
  'Unsupported persisted query version': 'Only version 1 of persisted queries (extensions.persistedQuery.version: 1) is supported.',
};

/**
 * The gateway's formatError: maskError from @ap/errors (stable codes pass, anything else becomes
 * INTERNAL_SERVER_ERROR with a generic message), after restoring the code of our own validation
 * rules (Apollo relabels every validation error GRAPHQL_VALIDATION_FAILED) and turning the
 * parser's token-limit error into the BAD_USER_INPUT the other limits give, keeping only
 * VISIBLE_EXTENSIONS so subgraph names and URLs never leave the gateway.
 */
export function formatGatewayError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  let input = formatted;
  const original = (error as GraphQLError | undefined)?.originalError as GraphQLError | undefined;
  const originalCode = original?.extensions?.code;
  if (formatted.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' && typeof originalCode === 'string' && (ERROR_CODES as readonly string[]).includes(originalCode)) {
    input = { ...formatted, extensions: { ...formatted.extensions, code: originalCode } };
  }
  const tokens = formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED' ? tokenLimitMessage(formatted.message) : undefined;
  if (tokens) input = { ...formatted, message: tokens, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
  // Apollo Server gives these two persisted-query refusals a 400 but no code (so INTERNAL_SERVER_ERROR).
  const persisted = Object.hasOwn(PERSISTED_QUERY_MESSAGES, formatted.message) ? PERSISTED_QUERY_MESSAGES[formatted.message] : undefined;
  if (persisted) input = { ...formatted, message: persisted, extensions: { ...formatted.extensions, code: 'BAD_REQUEST' } };
  const masked = maskError(input, error);
  const extensions: Record<string, unknown> = {};
  for (const key of VISIBLE_EXTENSIONS) {
    if (masked.extensions?.[key] !== undefined) extensions[key] = masked.extensions[key];
  }
  return { ...masked, extensions };
}

/**
 * formatGatewayError that also logs what it hides: every error masked as INTERNAL_SERVER_ERROR
 * (the message promises "it has been logged") and every unavailable subgraph. formatError runs
 * inside the request's trace scope (withTrace in @ap/http), so each line names the request's trace id.
 */
export function gatewayErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const out = formatGatewayError(formatted, error);
    const code = out.extensions?.code;
    if (code === 'INTERNAL_SERVER_ERROR') {
      const cause = (error as GraphQLError | undefined)?.originalError ?? error;
      logger.error({ traceId: currentTraceId(), err: cause, path: formatted.path, subgraphError: formatted.message, extensions: formatted.extensions }, 'masked an internal error');
    } else if (code === SUBGRAPH_UNAVAILABLE) {
      logger.warn({ traceId: currentTraceId(), service: out.extensions?.service, path: formatted.path }, 'answered without an unavailable subgraph');
    }
    return out;
  };
}
