import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { ERROR_CODES, maskError } from '@ap/errors';

/** Extension keys a client may see; everything else (serviceName, the subgraph's response, ...) is dropped. */
const VISIBLE_EXTENSIONS = ['code', 'field'] as const;

/**
 * The gateway's formatError: maskError from @ap/errors (stable codes pass, anything else becomes
 * INTERNAL_SERVER_ERROR with a generic message), after restoring the code of our own validation
 * rules (Apollo relabels every validation error GRAPHQL_VALIDATION_FAILED), and keeping only
 * VISIBLE_EXTENSIONS so subgraph names and URLs never leave the gateway.
 */
export function formatGatewayError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  let input = formatted;
  const original = (error as GraphQLError | undefined)?.originalError as GraphQLError | undefined;
  const originalCode = original?.extensions?.code;
  if (formatted.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' && typeof originalCode === 'string' && (ERROR_CODES as readonly string[]).includes(originalCode)) {
    input = { ...formatted, extensions: { ...formatted.extensions, code: originalCode } };
  }
  const masked = maskError(input, error);
  const extensions: Record<string, unknown> = {};
  for (const key of VISIBLE_EXTENSIONS) {
    if (masked.extensions?.[key] !== undefined) extensions[key] = masked.extensions[key];
  }
  return { ...masked, extensions };
}
