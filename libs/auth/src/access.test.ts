import { graphql, parse } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { AccessTable, allowFields, mayAccess, operationsOf, permissionsFromTable, Principal, relationHolds, RequestContext, ROLES, rolesAllowed } from './index';

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { pupil: String audits: String }
  type Mutation { completeAudit: String }
  type Provider @key(fields: "id") { id: ID! audits: [String!]! }
`);
const resolvers = {
  Query: { pupil: () => 'pupil', audits: () => 'audits' },
  Mutation: { completeAudit: () => 'done' },
  Provider: { __resolveReference: (ref: { id: string }) => ref, audits: () => ['a1'] },
};
const subgraph = () => buildSubgraphSchema([{ typeDefs, resolvers: resolvers as never }]);

const nobody = { LA_ADMIN: 'denied', LA_OFFICER: 'denied', SCHOOL_USER: 'denied', PROVIDER_USER: 'denied', QA_OFFICER: 'denied', ANALYST: 'denied', MIS_CLIENT: 'denied' } as const;
const table: AccessTable = {
  'Query.pupil': { roles: { ...nobody, SCHOOL_USER: 'sameSchool', LA_ADMIN: 'pupilsLa' }, refusal: 'NULL' },
  'Query.audits': { roles: { ...nobody, QA_OFFICER: 'providersLa' }, refusal: 'NULL' },
  'Mutation.completeAudit': { roles: nobody, refusal: 'FORBIDDEN' },
  'Provider.audits': { roles: { ...nobody, PROVIDER_USER: 'sameProvider' }, refusal: 'FILTERED' },
};

const as = (role: Principal['role'], type: Principal['org']['type'], id: string): Principal => ({ userId: 'u', role, org: { type, id } });
const ctx = (principal: Principal): RequestContext => ({ principal, viaGateway: true, traceId: 't' });

describe('the access table', () => {
  it('refuses to build permissions for a schema with an operation that has no row, naming it', () => {
    const { 'Query.audits': _dropped, ...withoutAudits } = table;
    expect(() => applyMiddleware(subgraph(), permissionsFromTable('audit', withoutAudits, { Provider: allowFields() }))).toThrow(
      /access table of audit has no row for Query\.audits/,
    );
  });

  it('refuses a row for a field the schema does not have', () => {
    const stale: AccessTable = { ...table, 'Query.gone': table['Query.pupil'] };
    expect(() => applyMiddleware(subgraph(), permissionsFromTable('audit', stale))).toThrow(/rows for fields its schema does not have: Query\.gone/);
  });

  it('lists the operations of a schema without federation’s own', () => {
    expect(operationsOf(subgraph())).toEqual(['Mutation.completeAudit', 'Query.audits', 'Query.pupil']);
  });

  it('gates each field by the roles whose relation is not denied', async () => {
    const schema = applyMiddleware(subgraph(), permissionsFromTable('audit', table, { Provider: allowFields() }));
    const run = async (source: string, p: Principal) => graphql({ schema, source, contextValue: ctx(p) });
    expect((await run('{ pupil }', as('SCHOOL_USER', 'school', '100001'))).data).toEqual({ pupil: 'pupil' });
    const refused = await run('{ pupil }', as('QA_OFFICER', 'la', '865'));
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // A row that denies every role refuses everyone.
    for (const role of ROLES) {
      const org = role.startsWith('LA') || role === 'QA_OFFICER' || role === 'ANALYST' ? 'la' : role === 'PROVIDER_USER' ? 'provider' : 'school';
      const r = await run('mutation { completeAudit }', as(role, org, org === 'la' ? '865' : '100001'));
      expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    // A federated field's row gates it too.
    const entities = `{ _entities(representations: [{ __typename: "Provider", id: "p" }]) { ... on Provider { audits } } }`;
    expect((await run(entities, as('PROVIDER_USER', 'provider', 'p'))).data).toEqual({ _entities: [{ audits: ['a1'] }] });
    expect((await run(entities, as('QA_OFFICER', 'la', '865'))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('names the role gate', () => {
    expect(rolesAllowed(table['Query.pupil'])).toEqual(['LA_ADMIN', 'SCHOOL_USER']);
  });
});

describe('public rows', () => {
  const everyone = Object.fromEntries(ROLES.map((r) => [r, 'any'])) as Record<Principal['role'], 'any'>;
  const publicTable: AccessTable = { ...table, 'Query.audits': { roles: everyone, refusal: 'FILTERED', public: true } };

  it('answer a request without a principal, while every other field still needs one', async () => {
    const schema = applyMiddleware(subgraph(), permissionsFromTable('audit', publicTable, { Provider: allowFields() }));
    const anonymous = { principal: null, viaGateway: true, traceId: 't' };
    const open = await graphql({ schema, source: '{ audits }', contextValue: anonymous });
    expect(open.errors).toBeUndefined();
    expect(open.data).toEqual({ audits: 'audits' });
    const closed = await graphql({ schema, source: '{ pupil }', contextValue: anonymous });
    expect(closed.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('must give every role the relation any', () => {
    const half: AccessTable = { ...table, 'Query.audits': { roles: { ...everyone, MIS_CLIENT: 'denied' }, refusal: 'FILTERED', public: true } };
    expect(() => permissionsFromTable('audit', half)).toThrow(/Query\.audits is public, so every role's relation must be 'any'/);
  });
});

describe('relationHolds', () => {
  const school = as('SCHOOL_USER', 'school', '100001');
  const la = as('LA_ADMIN', 'la', '865');
  const provider = as('PROVIDER_USER', 'provider', 'p1');
  it.each<[string, boolean]>([
    ['any', true],
    ['self', true],
    ['denied', false],
  ])('%s → %s whatever the facts', (relation, expected) => {
    expect(relationHolds(relation as never, school, {})).toBe(expected);
  });
  it('checks each organisation relation against the facts, and never trusts a role with the wrong kind of organisation', () => {
    expect(relationHolds('sameSchool', school, { schoolUrns: [null, '100001'] })).toBe(true);
    expect(relationHolds('sameSchool', school, { schoolUrns: ['100002'] })).toBe(false);
    expect(relationHolds('sameSchool', as('SCHOOL_USER', 'la', '100001'), { schoolUrns: ['100001'] })).toBe(false);
    expect(relationHolds('sameProvider', provider, { providerIds: ['p1'] })).toBe(true);
    expect(relationHolds('sameProvider', provider, { providerIds: ['p2'] })).toBe(false);
    expect(relationHolds('pupilsLa', la, { pupilLaCode: '865' })).toBe(true);
    expect(relationHolds('pupilsLa', la, { pupilLaCode: '999' })).toBe(false);
    expect(relationHolds('pupilsLa', la, { pupilLaCode: null })).toBe(false);
    expect(relationHolds('providersLa', la, { providerLaCode: '865' })).toBe(true);
    expect(relationHolds('providersLa', la, { providerLaCode: null })).toBe(false);
    expect(relationHolds('providersLa', as('LA_ADMIN', 'school', '865'), { providerLaCode: '865' })).toBe(false);
    expect(relationHolds('approvedProvider', school, { providerApproved: true })).toBe(true);
    expect(relationHolds('approvedProvider', school, { providerApproved: false })).toBe(false);
    expect(relationHolds('providersLaOrApproved', la, { providerLaCode: '865', providerApproved: false })).toBe(true);
    // Another LA's provider only as its local offer shows it: approved, and compliance known and not NON_COMPLIANT or EXPIRED.
    expect(relationHolds('providersLaOrApproved', la, { providerLaCode: '999', providerApproved: true, providerCompliance: 'COMPLIANT' })).toBe(true);
    expect(relationHolds('providersLaOrApproved', la, { providerLaCode: '999', providerApproved: true, providerCompliance: 'NOT_AUDITED' })).toBe(true);
    expect(relationHolds('providersLaOrApproved', la, { providerLaCode: '999', providerApproved: true, providerCompliance: 'NON_COMPLIANT' })).toBe(false);
    expect(relationHolds('providersLaOrApproved', la, { providerLaCode: '999', providerApproved: true, providerCompliance: 'EXPIRED' })).toBe(false);
    expect(relationHolds('providersLaOrApproved', la, { providerLaCode: '999', providerApproved: true })).toBe(false);
    expect(relationHolds('providersLaOrApproved', la, { providerLaCode: '999', providerApproved: false, providerCompliance: 'COMPLIANT' })).toBe(false);
    // Its own LA sees it in full, whatever its standing.
    expect(relationHolds('providersLaOrApproved', la, { providerLaCode: '865', providerApproved: true, providerCompliance: 'NON_COMPLIANT' })).toBe(true);
    expect(relationHolds('providersLaOrApproved', school, { providerLaCode: '999', providerApproved: true, providerCompliance: 'COMPLIANT' })).toBe(false);
  });
  it('fails loudly for an operation the table does not have', () => {
    expect(() => mayAccess(table, 'Query.nothing', school, {})).toThrow(/no row for Query\.nothing/);
  });
});
