import { FragmentDefinitionNode, getIntrospectionQuery, Kind, OperationDefinitionNode, parse } from 'graphql';
import { measureOperation, usesIntrospection } from '../src/limits';

function split(query: string) {
  const doc = parse(query);
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = new Map(
    doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d] as const),
  );
  return [op, fragments] as const;
}

describe('measureOperation', () => {
  it('counts depth and fields through fragments and inline fragments', () => {
    expect(measureOperation(...split('{ a { b { c } d } ...F } fragment F on Q { e { ... on E { f { g } } } }'))).toEqual({
      depth: 3,
      introspectionDepth: 0,
      cost: 7,
    });
  });
  it('counts a fragment each time it is spread, without exponential work', () => {
    const fragments = ['fragment F0 on T { a b }'];
    for (let i = 1; i <= 40; i++) fragments.push(`fragment F${i} on T { ...F${i - 1} ...F${i - 1} }`);
    const m = measureOperation(...split(`{ t { ...F40 } } ${fragments.join(' ')}`));
    expect(m.cost).toBe(1 + 2 * 2 ** 40);
  });
  it('survives fragment cycles (reported by graphql-js validation)', () => {
    expect(measureOperation(...split('{ ...A } fragment A on Q { a ...B } fragment B on Q { b ...A }')).cost).toBe(2);
  });
  it('measures introspection separately', () => {
    const m = measureOperation(...split(getIntrospectionQuery()));
    expect(m.depth).toBe(0);
    expect(m.introspectionDepth).toBeGreaterThan(12);
    expect(m.introspectionDepth).toBeLessThanOrEqual(20);
  });
});

describe('usesIntrospection', () => {
  it('finds __schema/__type anywhere, but not __typename', () => {
    expect(usesIntrospection(...split('{ a { __typename } }'))).toBe(false);
    expect(usesIntrospection(...split('{ a ...F } fragment F on Q { x { ... on X { __type(name: "A") { name } } } }'))).toBe(true);
    expect(usesIntrospection(...split('{ __schema { queryType { name } } }'))).toBe(true);
  });
});
