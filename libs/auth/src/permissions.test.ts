import { graphql, GraphQLSchema, parse } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { and, rule } from 'graphql-shield';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { badUserInput } from '@ap/errors';
import {
  allowFields,
  buildPermissions,
  contextFromRequest,
  issueInternalToken,
  Principal,
  RequestContext,
  requirePrincipal,
  rules,
} from './index';

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { pupils: [Pupil!]! open: String secret: String broken: String bad: String unruled: String }
  type Pupil @key(fields: "id") { id: ID! name: String! }
`);
const resolvers = {
  Query: {
    pupils: () => [{ id: 'p1', name: 'Ada' }],
    open: () => 'open',
    secret: () => 'secret',
    broken: () => 'broken',
    bad: () => {
      throw badUserInput('UPN must be 13 characters', 'upn');
    },
    unruled: () => 'unruled',
  },
  Pupil: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, name: 'Ada' }) },
};

const explodes = rule('explodes')(() => {
  throw new Error('database down');
});

let schema: GraphQLSchema;
beforeAll(() => {
  schema = applyMiddleware(
    buildSubgraphSchema([{ typeDefs, resolvers: resolvers as never }]),
    buildPermissions({
      Query: {
        pupils: and(rules.isAuthenticated, rules.inOrganisation('la')),
        open: rules.isAuthenticated,
        secret: rules.hasRole('LA_ADMIN', 'LA_OFFICER'),
        broken: explodes,
        bad: rules.isAuthenticated,
      },
      Pupil: allowFields(),
    }),
  );
});

const la: Principal = { userId: 'a', role: 'LA_OFFICER', org: { type: 'la', id: '865' } };
const school: Principal = { userId: 's', role: 'SCHOOL_USER', org: { type: 'school', id: '100001' } };
const ctx = (principal: Principal | null, viaGateway = true): RequestContext => ({ principal, viaGateway, traceId: 't' });
const run = (source: string, context: RequestContext, variableValues?: Record<string, unknown>) =>
  graphql({ schema, source, contextValue: { ...context }, variableValues });

describe('buildPermissions', () => {
  it('allows what the rules allow, with the object type allowed by allowFields()', async () => {
    const r = await run('{ pupils { id name } open secret }', ctx(la));
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ pupils: [{ id: 'p1', name: 'Ada' }], open: 'open', secret: 'secret' });
  });
  it('refuses with FORBIDDEN and a message naming the role', async () => {
    const r = await run('{ secret }', ctx(school));
    expect(r.errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect(r.errors?.[0].message).toMatch(/needs the role LA_ADMIN or LA_OFFICER, but you are signed in as SCHOOL_USER for school:100001/);
  });
  it('denies a field no rule names, naming the field', async () => {
    const r = await run('{ unruled }', ctx(la));
    expect(r.errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect(r.errors?.[0].message).toMatch(/Query\.unruled/);
  });
  it('turns a rule that throws into a denial, never a pass', async () => {
    const r = await run('{ broken }', ctx(la));
    expect(r.data?.broken).toBeNull();
    expect(r.errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect(r.errors?.[0].message).not.toMatch(/database/);
  });
  it("keeps the resolver's own error (not turned into FORBIDDEN)", async () => {
    const r = await run('{ bad }', ctx(la));
    expect(r.errors?.[0]).toMatchObject({ message: 'UPN must be 13 characters', extensions: { code: 'BAD_USER_INPUT', field: 'upn' } });
  });
  it('allows _service and _entities only via the gateway', async () => {
    const q = '{ _service { sdl } }';
    expect((await run(q, ctx(la))).data as { _service: { sdl: string } }).toMatchObject({ _service: { sdl: expect.stringMatching(/type Pupil/) } });
    const refused = await run(q, ctx(la, false));
    expect(refused.errors?.[0].extensions.code).toBe('FORBIDDEN');
    const entities = await run(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Pupil { name } } }',
      ctx(school),
      { r: [{ __typename: 'Pupil', id: 'p9' }] },
    );
    expect(entities.errors).toBeUndefined();
    expect(entities.data?._entities).toEqual([{ name: 'Ada' }]);
    expect((await run('query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }', ctx(la, false), { r: [] })).errors?.[0].extensions.code).toBe('FORBIDDEN');
  });
  it('refuses an unauthenticated principal with UNAUTHENTICATED', async () => {
    const r = await run('{ open }', ctx(null));
    expect(r.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});

describe('contextFromRequest', () => {
  it('builds the context from the internal token', async () => {
    const token = await issueInternalToken({ principal: la, audience: 'referral', traceId: 'tr-9' });
    await expect(contextFromRequest({ authorization: `Bearer ${token}` }, 'referral')).resolves.toEqual({ principal: la, viaGateway: true, traceId: 'tr-9' });
    await expect(contextFromRequest(new Map([['authorization', `Bearer ${token}`]]), 'referral')).resolves.toMatchObject({ principal: la });
  });
  it('refuses a missing token with UNAUTHENTICATED saying to use the gateway', async () => {
    await expect(contextFromRequest({}, 'referral')).rejects.toMatchObject({
      message: expect.stringMatching(/only accepts requests through the gateway/),
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });
  it('refuses a token for another subgraph', async () => {
    const token = await issueInternalToken({ principal: la, audience: 'referral', traceId: 't' });
    await expect(contextFromRequest({ authorization: `Bearer ${token}` }, 'placement')).rejects.toMatchObject({
      message: expect.stringMatching(/another audience, not subgraph:placement/),
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });
});

describe('requirePrincipal', () => {
  it('returns the caller, and refuses an anonymous context with UNAUTHENTICATED', () => {
    const caller = { userId: 'u', role: 'LA_ADMIN' as const, org: { type: 'la' as const, id: '865' } };
    expect(requirePrincipal({ principal: caller })).toBe(caller);
    expect(() => requirePrincipal({ principal: null })).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }));
  });
});
