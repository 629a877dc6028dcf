import type { ApolloGateway } from '@apollo/gateway';
import { GraphQLError, Kind, OperationDefinitionNode } from 'graphql';

/**
 * ApolloGateway coerces every request's variables against the supergraph before planning (its
 * validateIncomingRequest), only to report errors: it then forwards the variables as sent, and the
 * subgraph coerces them again. For a bulk operation (a root field with a raised body limit: a MIS
 * pushing 10,000 marks) that first pass is 10,000 objects walked for nothing (~20 ms of CPU a
 * push), so those operations' variables are coerced once, by the subgraph serving them, which
 * refuses bad ones with BAD_USER_INPUT naming the field (passed on by AuthenticatedDataSource).
 * Every other operation keeps the gateway's check. `bulkRootFields`: 'Mutation.pushAttendance'.
 */
export function coerceBulkVariablesOnceInSubgraph(gateway: ApolloGateway, bulkRootFields: readonly string[]): void {
  const bulk = new Set(bulkRootFields);
  if (bulk.size === 0) return;
  type Validate = (requestContext: unknown, operationContext: { operation: OperationDefinitionNode }) => readonly GraphQLError[];
  const internals = gateway as unknown as { validateIncomingRequest?: Validate };
  const validate = internals.validateIncomingRequest;
  // A newer @apollo/gateway without it: keep its behaviour (both coerce), never skip a check it added.
  if (typeof validate !== 'function') return;
  internals.validateIncomingRequest = function (requestContext, operationContext) {
    return isBulk(operationContext.operation, bulk) ? [] : validate.call(this, requestContext, operationContext);
  };
}

/** Every root selection is a field (no fragment, no __typename) with a raised body limit. */
function isBulk(operation: OperationDefinitionNode, bulk: ReadonlySet<string>): boolean {
  const type = operation.operation === 'mutation' ? 'Mutation' : operation.operation === 'query' ? 'Query' : 'Subscription';
  const selections = operation.selectionSet.selections;
  return selections.length > 0 && selections.every((s) => s.kind === Kind.FIELD && bulk.has(`${type}.${s.name.value}`));
}
