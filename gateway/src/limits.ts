import {
  FragmentDefinitionNode,
  GraphQLError,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  ValidationContext,
  ValidationRule,
} from 'graphql';

export interface QueryLimits {
  /** Deepest nesting of fields (`{ a { b } }` is 2). */
  maxDepth: number;
  /** Nesting allowed inside __schema/__type (the standard introspection query is 15 deep). */
  maxIntrospectionDepth: number;
  /** Fields in the operation, fragments counted each time they are spread. */
  maxCost: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 12, maxIntrospectionDepth: 20, maxCost: 2000 };

interface Measure {
  depth: number;
  introspectionDepth: number;
  cost: number;
}
const ZERO: Measure = { depth: 0, introspectionDepth: 0, cost: 0 };

/**
 * Measures an operation with its fragments expanded. Each fragment is measured once (memoised),
 * so fragments that spread each other many times cannot blow up the work; a fragment cycle
 * counts as nothing here (graphql-js's NoFragmentCycles reports it).
 */
export function measureOperation(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): Measure {
  const memo = new Map<string, Measure>();
  const visiting = new Set<string>();

  function fragment(name: string): Measure {
    const known = memo.get(name);
    if (known) return known;
    const def = fragments.get(name);
    if (!def || visiting.has(name)) return ZERO;
    visiting.add(name);
    const m = selectionSet(def.selectionSet, false);
    visiting.delete(name);
    memo.set(name, m);
    return m;
  }

  function selectionSet(set: SelectionSetNode, inIntrospection: boolean): Measure {
    let depth = 0;
    let introspectionDepth = 0;
    let cost = 0;
    for (const sel of set.selections) {
      let m: Measure;
      if (sel.kind === Kind.FIELD) {
        const introspection = inIntrospection || sel.name.value === '__schema' || sel.name.value === '__type';
        const child = sel.selectionSet ? selectionSet(sel.selectionSet, introspection) : ZERO;
        m = introspection
          ? { depth: 0, introspectionDepth: 1 + Math.max(child.introspectionDepth, child.depth), cost: 1 + child.cost }
          : { depth: 1 + child.depth, introspectionDepth: child.introspectionDepth, cost: 1 + child.cost };
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        m = selectionSet(sel.selectionSet, inIntrospection);
      } else {
        m = fragment(sel.name.value);
        // Fragments are measured out of context; inside introspection all their depth is introspection depth.
        if (inIntrospection) m = { depth: 0, introspectionDepth: Math.max(m.depth, m.introspectionDepth), cost: m.cost };
      }
      depth = Math.max(depth, m.depth);
      introspectionDepth = Math.max(introspectionDepth, m.introspectionDepth);
      cost += m.cost;
    }
    return { depth, introspectionDepth, cost };
  }

  return selectionSet(operation.selectionSet, false);
}

const limitError = (message: string, node: OperationDefinitionNode) =>
  new GraphQLError(message, { nodes: [node], extensions: { code: 'BAD_USER_INPUT' } });

/**
 * A validation rule refusing operations deeper or larger than the limits, with BAD_USER_INPUT
 * (Apollo reports validation errors as GRAPHQL_VALIDATION_FAILED; the gateway's formatError
 * restores the code). Validation results are cached per query text, which suits a rule that
 * depends only on the document.
 */
export function queryLimitsRule(limits: QueryLimits = DEFAULT_QUERY_LIMITS): ValidationRule {
  return (context: ValidationContext) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    }
    return {
      OperationDefinition(node) {
        const m = measureOperation(node, fragments);
        const name = node.name ? `Operation ${node.name.value}` : 'The operation';
        if (m.depth > limits.maxDepth) {
          context.reportError(
            limitError(`${name} nests fields ${m.depth} levels deep; at most ${limits.maxDepth} are allowed. Split it into smaller queries.`, node),
          );
        }
        if (m.introspectionDepth > limits.maxIntrospectionDepth) {
          context.reportError(
            limitError(`${name} nests introspection fields ${m.introspectionDepth} levels deep; at most ${limits.maxIntrospectionDepth} are allowed.`, node),
          );
        }
        if (m.cost > limits.maxCost) {
          context.reportError(
            limitError(`${name} selects ${m.cost} fields (counting each fragment use); at most ${limits.maxCost} are allowed. Ask for fewer fields or split it into smaller queries.`, node),
          );
        }
      },
    };
  };
}

/** True if the operation (with the fragments it uses) selects __schema or __type. */
export function usesIntrospection(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): boolean {
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode): boolean =>
    set.selections.some((sel) => {
      if (sel.kind === Kind.FIELD) {
        return sel.name.value === '__schema' || sel.name.value === '__type' || (sel.selectionSet ? visit(sel.selectionSet) : false);
      }
      if (sel.kind === Kind.INLINE_FRAGMENT) return visit(sel.selectionSet);
      if (seen.has(sel.name.value)) return false;
      seen.add(sel.name.value);
      const def = fragments.get(sel.name.value);
      return def ? visit(def.selectionSet) : false;
    });
  return visit(operation.selectionSet);
}
