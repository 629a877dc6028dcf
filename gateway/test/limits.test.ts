import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { buildSchema, FragmentDefinitionNode, getIntrospectionQuery, GraphQLError, Kind, OperationDefinitionNode, parse, specifiedRules, validate } from 'graphql';
import { checkDocumentShape, DEFAULT_QUERY_LIMITS, queryProtection, tokenLimitMessage, usesIntrospection } from '../src/limits';

const schema = buildSchema(`
  type Query { providers: [Provider!]! provider(id: ID!): Provider }
  type Provider { id: ID! name: String! parent: Provider audits: [Audit!]! }
  type Audit { id: ID! rating: String! }
`);

/** What Apollo Server does with a request: parse with the token limit, then validate with every rule. */
function check(query: string, limits = DEFAULT_QUERY_LIMITS): readonly GraphQLError[] {
  const protection = queryProtection(limits);
  let document;
  try {
    document = parse(query, protection.parseOptions);
  } catch (err) {
    return [err as GraphQLError];
  }
  return validate(schema, document, [...specifiedRules, ...protection.validationRules]);
}

const fields = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ');

describe('queryProtection (graphql-armor and the parser token limit)', () => {
  it('passes an ordinary query and the standard introspection query', () => {
    expect(check('{ providers { id name audits { rating } } }')).toEqual([]);
    expect(check(getIntrospectionQuery())).toEqual([]);
  });

  it('stops parsing at the token limit, with an error that says what to do', () => {
    const [error] = check(`{ providers { ${fields(10_000, () => 'id')} } }`);
    expect(error.message).toMatch(/more that 800 tokens/);
    expect(tokenLimitMessage(error.message)).toBe(
      'The query is too large: it has more than 800 tokens (names, punctuation and values). Ask for fewer fields, or split the request into smaller queries.',
    );
    expect(tokenLimitMessage('Syntax Error: Expected Name, found <EOF>.')).toBeUndefined();
  });

  it('refuses too many aliases with BAD_USER_INPUT', () => {
    const errors = check(`{ providers { ${fields(11, (i) => `a${i}: id`)} } }`);
    expect(errors.map((e) => [e.extensions.code, e.message])).toEqual([
      ['BAD_USER_INPUT', 'The query is too large: Aliases limit of 10 exceeded, found 11. Ask for fewer fields, or split the request into smaller queries.'],
    ]);
    expect(check(`{ providers { ${fields(10, (i) => `a${i}: id`)} } }`)).toEqual([]);
  });

  it('refuses a query deeper than the limit, but not the introspection query', () => {
    const nest = (n: number) => '{ provider(id: "1") ' + '{ parent '.repeat(n - 2) + '{ id }' + ' }'.repeat(n - 2) + ' }';
    expect(check(nest(12))).toEqual([]);
    const errors = check(nest(13));
    expect(errors.map((e) => e.extensions.code)).toContain('BAD_USER_INPUT');
    expect(errors.map((e) => e.message).join()).toMatch(/Query depth limit of 12 exceeded, found 13/);
  });

  it('counts fragments each time they are spread, without exponential work', () => {
    const fragments = ['fragment F0 on Provider { id name }'];
    for (let i = 1; i <= 40; i++) fragments.push(`fragment F${i} on Provider { ...F${i - 1} ...F${i - 1} }`);
    const started = process.hrtime.bigint();
    const errors = check(`{ providers { ...F40 } } ${fragments.join(' ')}`);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(2000);
    expect(errors.map((e) => e.message).join()).toMatch(/Query Cost limit of 5000 exceeded/);
  });

  it('refuses too many directives', () => {
    const errors = check(`{ providers { id ${fields(51, () => '@skip(if: false)')} } }`);
    expect(errors.map((e) => e.message).join()).toMatch(/Directives limit of 50 exceeded/);
  });
});

describe('checkDocumentShape (what armor lacks: bounds on the quadratic part of validation)', () => {
  it('passes ordinary queries, the introspection query, and a field selected up to 5 times', () => {
    expect(checkDocumentShape('{ providers { id name audits { rating } } }')).toBeUndefined();
    expect(checkDocumentShape(getIntrospectionQuery())).toBeUndefined();
    expect(checkDocumentShape(`{ providers { ${fields(5, () => 'id')} } }`)).toBeUndefined();
  });

  it('refuses a response name selected more than 5 times in one place, inline fragments included', () => {
    expect(checkDocumentShape(`{ providers { ${fields(6, () => 'id')} } }`)).toBe(
      'The query is too large: it selects "id" 6 times in one place; at most 5 are allowed. Ask for fewer fields, or split the request into smaller queries.',
    );
    expect(checkDocumentShape(`{ providers { ${fields(6, () => '... on Provider { name }')} } }`)).toMatch(/selects "name" 6 times/);
    expect(checkDocumentShape(`{ ${fields(6, () => 'providers { id }')} }`)).toMatch(/selects "providers" 6 times/);
    expect(checkDocumentShape(`{ ${fields(6, (i) => `provider(id: "${i}") { id }`)} }`)).toMatch(/selects "provider" 6 times/);
  });

  it('refuses more than 30 fragments', () => {
    const query = (n: number) => `{ providers { ${fields(n, (i) => `...F${i}`)} } } ${fields(n, (i) => `fragment F${i} on Provider { id }`)}`;
    expect(checkDocumentShape(query(30))).toBeUndefined();
    expect(checkDocumentShape(query(31))).toMatch(/it defines 31 fragments; at most 30 are allowed/);
  });

  it('refuses past the token limit, and leaves other syntax errors to Apollo', () => {
    expect(checkDocumentShape(`{ providers { ${fields(10_000, () => 'id')} } }`)).toMatch(/more than 800 tokens/);
    expect(checkDocumentShape('{ providers { id ')).toBeUndefined();
  });
});

describe("graphql-armor's own Apollo max-tokens plugin", () => {
  // Why the token limit is the parser's option instead: armor's plugin throws from parsingDidStart,
  // which Apollo Server 5 treats as an unexpected error.
  it('answers an over-long document with HTTP 500 on Apollo Server 5', async () => {
    const armor = new ApolloArmor({ maxTokens: { n: 100 } }).protect();
    const server = new ApolloServer({ schema, plugins: armor.plugins, validationRules: armor.validationRules, logger: { debug() {}, info() {}, warn() {}, error() {} } });
    await server.start();
    try {
      const response = await server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: 'POST',
          headers: new HeaderMap([['content-type', 'application/json']]),
          search: '',
          body: { query: `{ providers { ${fields(200, () => 'id')} } }` },
        },
        context: async () => ({}),
      });
      expect(response.status).toBe(500);
    } finally {
      await server.stop();
    }
  });
});

function split(query: string) {
  const doc = parse(query);
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = new Map(
    doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d] as const),
  );
  return [op, fragments] as const;
}

describe('usesIntrospection', () => {
  it('finds __schema/__type anywhere, but not __typename', () => {
    expect(usesIntrospection(...split('{ a { __typename } }'))).toBe(false);
    expect(usesIntrospection(...split('{ a ...F } fragment F on Q { x { ... on X { __type(name: "A") { name } } } }'))).toBe(true);
    expect(usesIntrospection(...split('{ __schema { queryType { name } } }'))).toBe(true);
  });
});
