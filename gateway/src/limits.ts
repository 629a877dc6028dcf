import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  BREAK,
  DocumentNode,
  FragmentDefinitionNode,
  GraphQLError,
  Kind,
  OperationDefinitionNode,
  parse,
  SelectionSetNode,
  ValidationContext,
  ValidationRule,
  visit,
} from 'graphql';

/**
 * How large one operation may be. The gateway enforces these with @escape.tech/graphql-armor
 * (max-tokens at parse time, the rest as validation rules), so that no single request can hold
 * the event loop: graphql-js's own validation (OverlappingFieldsCanBeMerged) is quadratic in the
 * number of fields, so size is bounded by tokens before any of it runs.
 */
export interface QueryLimits {
  /** Lexical tokens in the document (`{ a { b } }` is 6); counted while parsing, which stops at the limit. */
  maxTokens: number;
  /** Aliased fields in an operation (`a1: id a2: id` is 2). */
  maxAliases: number;
  /** Deepest nesting of fields (`{ a { b } }` is 2); __schema is not counted (the standard introspection query must pass). */
  maxDepth: number;
  /** graphql-armor's cost: 1 per scalar, 2 per object, children weighted by 1.5 per level, fragments counted each use. */
  maxCost: number;
  /** Directives in an operation. */
  maxDirectives: number;
  /** Times one response name may be selected in one selection set (inline fragments included). */
  maxRepeatedField: number;
  /** Fragment definitions in a document. */
  maxFragments: number;
}

/**
 * Sized so that the largest query they allow costs the gateway well under 100 ms of CPU to
 * validate, plan and answer (test/faults/big-query.faults.ts). The standard introspection query
 * is 163 tokens (183 with every option) and the platform's largest query (a pupil's journey across
 * three subgraphs) about 40, so 800 tokens leaves ample room. Aliases multiply the query plan's
 * work (each aliased root field is planned apart), so fewer than armor's default of 15.
 */
export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxTokens: 800,
  maxAliases: 10,
  maxDepth: 12,
  maxCost: 5000,
  maxDirectives: 50,
  maxRepeatedField: 5,
  maxFragments: 30,
};

/** The code every size refusal carries: the client can fix it by asking for less. */
export const LIMIT_CODE = 'BAD_USER_INPUT';

const ADVICE = 'Ask for fewer fields, or split the request into smaller queries.';

/** graphql-js's message when parsing stops at the token limit ("more that" is theirs). */
const TOKEN_LIMIT = /^Syntax Error: Document contains more that (\d+) tokens\. Parsing aborted\.$/;

/**
 * The token-limit refusal as the client sees it: a parse error (GRAPHQL_PARSE_FAILED) becomes
 * BAD_USER_INPUT with the advice the other limits give; undefined for any other error.
 */
export function tokenLimitMessage(message: string): string | undefined {
  const m = TOKEN_LIMIT.exec(message);
  return m ? explain(`it has more than ${m[1]} tokens (names, punctuation and values).`) : undefined;
}

/** Armor's messages start "Syntax Error:" even for validation; say what was too large and what to do. */
function explain(armorMessage: string): string {
  return `The query is too large: ${armorMessage.replace(/^Syntax Error: /, '')} ${ADVICE}`;
}

function report(ctx: ValidationContext | null, error: GraphQLError): void {
  ctx?.reportError(new GraphQLError(explain(error.message), { extensions: { code: LIMIT_CODE } }));
}

export interface Protection {
  plugins: ApolloServerPlugin<BaseContext>[];
  validationRules: ValidationRule[];
  /** Apollo Server's parseOptions: the token limit. */
  parseOptions: { maxTokens: number };
}

/**
 * The gateway's query limits: graphql-armor's validation rules (aliases, depth, cost, directives,
 * field suggestions) and the token limit at parse time. The token limit is graphql-js's own
 * `maxTokens` parse option, given to Apollo Server's single parse: armor's Apollo max-tokens plugin
 * parses a second time in parsingDidStart and throws from there, which Apollo Server 5 answers
 * with HTTP 500 (see test/limits.test.ts). Parsing stops at the limit, so a 30 kB document of
 * 10,000 fields costs a fraction of a millisecond and never reaches validation.
 */
export function queryProtection(limits: QueryLimits = DEFAULT_QUERY_LIMITS): Protection {
  const onReject = [report];
  const armor = new ApolloArmor({
    maxTokens: { enabled: false },
    maxAliases: { n: limits.maxAliases, propagateOnRejection: false, onReject },
    maxDepth: { n: limits.maxDepth, propagateOnRejection: false, onReject },
    costLimit: { maxCost: limits.maxCost, propagateOnRejection: false, onReject },
    maxDirectives: { n: limits.maxDirectives, propagateOnRejection: false, onReject },
    // Apollo's hideSchemaDetailsFromClientErrors already drops "Did you mean"; armor's plugin masks any left.
    blockFieldSuggestion: { enabled: true },
  }).protect();
  return {
    plugins: armor.plugins as ApolloServerPlugin<BaseContext>[],
    validationRules: armor.validationRules,
    parseOptions: { maxTokens: limits.maxTokens },
  };
}

/**
 * What graphql-armor lacks: graphql-js's OverlappingFieldsCanBeMerged compares every pair of
 * fields that share a response name in a selection set, and every pair of fragments spread
 * together, so `{ providers { id id … } }` costs time quadratic in its length (1,000 ids: about
 * 150 ms of CPU; 2,000: 500 ms) even within the token limit, and Apollo runs that rule together
 * with armor's. This check runs before Apollo sees the request (the gateway gives it to
 * @ap/http's checkRequest): it parses with the token limit (well under a millisecond for 2,000
 * tokens) and bounds repeated response names and fragments. Returns the refusal, if any; a
 * document that does not parse for another reason is left to Apollo to report.
 */
export function checkDocumentShape(query: string, limits: QueryLimits = DEFAULT_QUERY_LIMITS): string | undefined {
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: limits.maxTokens, noLocation: true });
  } catch (err) {
    return err instanceof GraphQLError ? tokenLimitMessage(err.message) : undefined;
  }
  const fragments = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).length;
  if (fragments > limits.maxFragments) {
    return explain(`it defines ${fragments} fragments; at most ${limits.maxFragments} are allowed.`);
  }
  let refusal: string | undefined;
  visit(document, {
    SelectionSet(node) {
      const counts = new Map<string, number>();
      const count = (set: SelectionSetNode) => {
        for (const sel of set.selections) {
          if (sel.kind === Kind.FIELD) {
            const name = sel.alias?.value ?? sel.name.value;
            counts.set(name, (counts.get(name) ?? 0) + 1);
          } else if (sel.kind === Kind.INLINE_FRAGMENT) count(sel.selectionSet);
        }
      };
      count(node);
      for (const [name, n] of counts) {
        if (n > limits.maxRepeatedField) {
          refusal = explain(`it selects "${name}" ${n} times in one place; at most ${limits.maxRepeatedField} are allowed.`);
          return BREAK;
        }
      }
      return undefined;
    },
  });
  return refusal;
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
