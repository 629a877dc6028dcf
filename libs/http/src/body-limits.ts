import { Kind, OperationDefinitionNode, parse } from 'graphql';
import type { GraphQLRequestText } from './request';

/**
 * How large a request body may be, per operation: one default, and larger allowances for the
 * operations that carry bulk data in their variables. The gateway and every subgraph read the
 * same table (startHttpService's default), so a bulk push the gateway lets through is not refused
 * by the subgraph it goes to.
 */
export interface BodyLimits {
  /** Bytes any request may have. */
  default: number;
  /** Larger allowances by root field ('Mutation.pushAttendance'): an operation gets one only when every root field it asks for has one. */
  byRootField: Readonly<Record<string, number>>;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** The one table of body limits. */
export const BODY_LIMITS: BodyLimits = {
  default: DEFAULT_MAX_BODY_BYTES,
  byRootField: {
    // A school MIS's attendance writeback: 10,000 marks, about 70 bytes each as compact JSON and
    // up to ~250 when pretty-printed; anything larger is refused before it is parsed.
    'Mutation.pushAttendance': 3 * 1024 * 1024,
  },
};

/** The most any request may send (the reader stops there, before parsing). */
export function largestBodyLimit(limits: BodyLimits): number {
  return Math.max(limits.default, ...Object.values(limits.byRootField));
}

/** A query text is small next to its variables; a document larger than this gets the default. */
const MAX_TOKENS = 2_000;

/**
 * The body a request may have: a raised allowance only when every root field of the operation it
 * runs has one (the smallest of them); the default for anything else, including a document that
 * does not parse, an unknown operation name, or root fields behind fragments.
 */
export function bodyLimitOf(request: GraphQLRequestText, limits: BodyLimits): number {
  if (typeof request.query !== 'string' || Object.keys(limits.byRootField).length === 0) return limits.default;
  let operations: OperationDefinitionNode[];
  try {
    operations = parse(request.query, { noLocation: true, maxTokens: MAX_TOKENS }).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  } catch {
    return limits.default;
  }
  const name = typeof request.operationName === 'string' ? request.operationName : undefined;
  const operation = name ? operations.find((o) => o.name?.value === name) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) return limits.default;
  const type = operation.operation === 'mutation' ? 'Mutation' : operation.operation === 'query' ? 'Query' : 'Subscription';
  let allowance = Infinity;
  for (const selection of operation.selectionSet.selections) {
    const raised = selection.kind === Kind.FIELD ? limits.byRootField[`${type}.${selection.name.value}`] : undefined;
    if (raised === undefined) return limits.default;
    allowance = Math.min(allowance, raised);
  }
  return Number.isFinite(allowance) ? Math.max(allowance, limits.default) : limits.default;
}
