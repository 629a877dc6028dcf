import { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind } from 'graphql';
import { GatewayContext } from './context';

/**
 * Refuses, with 400 and a clear code, what the gateway's executor would otherwise fail on with an
 * internal error: no operation to run (an operationName naming none, or several operations and no
 * operationName) and subscriptions, which this gateway does not serve.
 */
export function operationGate(): ApolloServerPlugin<GatewayContext> {
  const refuse = (message: string, code: string) => new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          if (!operation) {
            const names = document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.name?.value ?? '(anonymous)'] : []));
            const listed = names.length ? `The document has ${names.join(', ')}.` : 'The document has no operation.';
            throw refuse(
              request.operationName
                ? `No operation named "${request.operationName}" in the document. ${listed}`
                : `The document has several operations; say which to run in operationName. ${listed}`,
              'OPERATION_RESOLUTION_FAILURE',
            );
          }
          if (operation.operation === 'subscription') {
            throw refuse('Subscriptions are not supported: send a query (and ask again for fresh data).', 'BAD_REQUEST');
          }
        },
      };
    },
  };
}
