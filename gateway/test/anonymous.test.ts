import { FragmentDefinitionNode, Kind, OperationDefinitionNode, parse } from 'graphql';
import { rootFieldNames } from '../src/anonymous';

const roots = (source: string) => {
  const doc = parse(source);
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = new Map(doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  return rootFieldNames(op, fragments);
};

describe('the root fields an anonymous request asks for', () => {
  it.each([
    ['{ localOffer(laCode: "865") { totalCount } }', ['localOffer']],
    ['{ a: localOffer(laCode: "865") { totalCount } __typename }', ['localOffer', '__typename']],
    // A field smuggled in through a fragment or an inline fragment still counts.
    ['{ ...F } fragment F on Query { localOffer(laCode: "865") { totalCount } providers { id } }', ['localOffer', 'providers']],
    ['{ ... on Query { providers { id } } localOffer(laCode: "865") { totalCount } }', ['providers', 'localOffer']],
    ['{ ... @skip(if: true) { providers { id } } }', ['providers']],
    // A fragment spread twice (or in a cycle) is walked once.
    ['{ ...F ...F } fragment F on Query { pupil(id: "x") { id } }', ['pupil']],
  ])('%s → %j', (source, expected) => {
    expect(roots(source)).toEqual(expected);
  });
});
