import { randomUUID } from 'node:crypto';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { AccessTable, operationsOf, Refusal, Role, ROLE_ORG_TYPE, ROLES } from '@ap/auth';
import type { ServiceName } from '@ap/config';
import { directoryAccess, directoryService } from '@ap/directory';
import { referralAccess, referralService } from '@ap/referral';
import { placementAccess, placementService } from '@ap/placement';
import { safeguardingAccess, safeguardingService } from '@ap/safeguarding-audit';
import { outcomesAccess, outcomesService } from '@ap/outcomes';
import { clientToken, eventually, graphql, GraphQLResponse, internalToken, makeUpn, principal } from '@ap/testing';
import { ok } from './flow';
import { startStack, Stack } from './stack';

/**
 * Walks every service's access table (services/<name>/src/access.ts): for each row, each of the
 * 7 roles, with a token of the thing's own organisation and one of another (another LA, school or
 * provider), runs the real operation through the gateway (operations) or against the owning
 * subgraph (federated fields, through _entities as the gateway calls them) on seeded fixtures, and
 * checks the answer is exactly what the table says: allowed, FORBIDDEN for a role the row denies,
 * or the row's refusal when the organisation does not match. Reads run first, then writes, each
 * allowed write on a fresh target.
 */

jest.setTimeout(240_000);

const SERVICES: { name: ServiceName; typeDefs: typeof directoryService.typeDefs; table: AccessTable }[] = [
  { name: 'directory', typeDefs: directoryService.typeDefs, table: directoryAccess },
  { name: 'referral', typeDefs: referralService.typeDefs, table: referralAccess },
  { name: 'placement', typeDefs: placementService.typeDefs, table: placementAccess },
  { name: 'safeguarding-audit', typeDefs: safeguardingService.typeDefs, table: safeguardingAccess },
  { name: 'outcomes', typeDefs: outcomesService.typeDefs, table: outcomesAccess },
];

const OWN = { la: '865', school: '100001' };
const OTHER = { la: '999', school: '100002' };

type Side = 'own' | 'other';
type Outcome = 'allowed' | Refusal | string;

interface World {
  providerOwn: string; // approved, la 865
  providerApplied: string; // APPLIED, la 865
  providerOther: string; // approved, la 999
  pupil: string; // homeLa 865, registered by school 100001, referred to providerOwn
  referral: string; // accepted
  placement: string; // PLANNED
  pendingReferral: string; // SUBMITTED, for refused accepts
  audit: string; // of providerOwn
  offerApplied: string; // an open offer of providerApplied (providerOwn has one too, for search)
}

interface Attempt {
  role: Role;
  side: Side;
  expected: Outcome;
  /** A fresh target prepared for this attempt (allowed writes only). */
  fresh?: string;
}

interface Case {
  key: string;
  service: ServiceName;
  label: string;
  /** Operations go through the gateway; federated fields straight to the owning subgraph's _entities. */
  via: 'gateway' | 'subgraph';
  write?: boolean;
  /** For the approvedProvider relation: whether the case's provider is approved. */
  approved?: boolean;
  /** The provider organisation that is "own" for this case (default: world.providerOwn). */
  ownProvider?: (w: World) => string;
  /** Makes a fresh target for an attempt the table expects to succeed (a write that can happen once). */
  fresh?: () => Promise<string>;
  request(w: World, a: Attempt): { query: string; variables?: Record<string, unknown> };
  /** Reads an answer without errors: allowed, or how the refusal showed (NULL, FILTERED). */
  judge(data: any, w: World, a: Attempt): Outcome;
}

const nullOr = (found: boolean, value: unknown): Outcome => (found ? 'allowed' : value === null ? 'NULL' : `unexpected ${JSON.stringify(value)}`);
const listed = (found: boolean): Outcome => (found ? 'allowed' : 'FILTERED');
const has = (list: { id: string }[] | undefined | null, id: string) => (list ?? []).some((x) => x.id === id);
const created = (value: { id?: string } | null | undefined): Outcome => (value?.id ? 'allowed' : `unexpected ${JSON.stringify(value)}`);

const Q = {
  provider: `query($id: ID!) { provider(id: $id) { id } }`,
  providers: `query { providers { id } }`,
  registerProvider: `mutation($input: RegisterProviderInput!) { registerProvider(input: $input) { id } }`,
  approveProvider: `mutation($id: ID!) { approveProvider(id: $id) { id } }`,
  pupil: `query($id: ID!) { pupil(id: $id) { id } }`,
  referral: `query($id: ID!) { referral(id: $id) { id } }`,
  pupilReferrals: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Pupil { referrals { id } } } }`,
  registerPupil: `mutation($input: RegisterPupilInput!) { registerPupil(input: $input) { id } }`,
  submitReferral: `mutation($input: SubmitReferralInput!) { submitReferral(input: $input) { id } }`,
  acceptReferral: `mutation($id: ID!) { acceptReferral(id: $id) { id } }`,
  placement: `query($id: ID!) { placement(id: $id) { id } }`,
  pupilPlacements: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Pupil { placements { id } } } }`,
  startPlacement: `mutation($id: ID!) { startPlacement(id: $id) { id } }`,
  audit: `query($id: ID!) { audit(id: $id) { id summary } }`,
  providerAudits: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Provider { audits { id } } } }`,
  completeAudit: `mutation($input: CompleteAuditInput!) { completeAudit(input: $input) { id } }`,
  providerOutcomes: `query($id: ID!) { providerOutcomes(providerId: $id) { providerId } }`,
  searchProviders: `query { searchProviders(first: 100) { edges { node { id } } } }`,
  localOffer: `query($la: String!) { localOffer(laCode: $la, first: 100) { edges { node { id } } } }`,
  updateProviderProfile: `mutation($id: ID!, $input: ProviderProfileInput!) { updateProviderProfile(id: $id, input: $input) { id } }`,
  addOffer: `mutation($p: ID!, $input: OfferInput!) { addOffer(providerId: $p, input: $input) { id } }`,
  updateOffer: `mutation($id: ID!, $input: OfferInput!) { updateOffer(id: $id, input: $input) { id } }`,
  closeOffer: `mutation($id: ID!) { closeOffer(id: $id) { id } }`,
  suspendProvider: `mutation($id: ID!, $r: String!) { suspendProvider(id: $id, reason: $r) { id } }`,
  withdrawProvider: `mutation($id: ID!, $r: String!) { withdrawProvider(id: $id, reason: $r) { id } }`,
  reinstateProvider: `mutation($id: ID!, $r: String!) { reinstateProvider(id: $id, reason: $r) { id } }`,
  registerSchool: `mutation($input: SchoolInput!) { registerSchool(input: $input) { urn } }`,
  importSchools: `mutation($input: [SchoolInput!]!) { importSchools(input: $input) { urn } }`,
};

const OFFER = { name: 'Walk offer', keyStages: ['KS3'], needs: ['SEMH'], deliveryModes: ['ON_SITE'], sessionsOffered: 10, pricePerDay: 100, capacity: 3 };
let walkUrn = 400000 + Math.floor(Math.random() * 500000);
const newSchool = (laCode: string) => ({ urn: String(walkUrn++), name: 'Walk School', phase: 'SECONDARY', laCode });

describe('the access tables, walked role by role through the real services', () => {
  let stack: Stack;
  let url: string;
  let world: World;
  const school = () => clientToken('SCHOOL_USER', `school:${OWN.school}`);
  const laAdmin = () => clientToken('LA_ADMIN', `la:${OWN.la}`);
  const addOffer = async (providerId: string) => (await ok(url, await laAdmin(), Q.addOffer, { p: providerId, input: OFFER })).addOffer.id as string;

  // The stories fixtures are made of, each through the gateway as its users would.
  const registerProvider = async (la: string, approve: boolean) => {
    const token = await clientToken('LA_ADMIN', `la:${la}`);
    const { registerProvider: p } = await ok(url, token, Q.registerProvider, {
      input: { name: `Walk ${randomUUID().slice(0, 8)}`, registrationType: 'UNREGISTERED', postcode: 'SN10 1AA' },
    });
    if (approve) await ok(url, token, Q.approveProvider, { id: p.id });
    return p.id as string;
  };
  const registerPupil = async () =>
    (await ok(url, await school(), Q.registerPupil, {
      input: { upn: makeUpn(), givenName: 'Sam', familyName: 'Walker', dateOfBirth: '2011-03-14', homeLaCode: OWN.la },
    })).registerPupil.id as string;
  const refer = async (pupilId: string, providerId: string) =>
    (await eventually(async () =>
      ok(url, await school(), Q.submitReferral, { input: { pupilId, providerId, reason: 'RISK_OF_EXCLUSION', parentalConsent: true } }),
    )).submitReferral.id as string;
  const acceptedPlacement = async (providerId: string) => {
    const pupilId = await registerPupil();
    const referralId = await refer(pupilId, providerId);
    await ok(url, await clientToken('PROVIDER_USER', `provider:${providerId}`), Q.acceptReferral, { id: referralId });
    const placementId = await eventually(async () => {
      const data = await ok(url, await school(), `query($id: ID!) { pupil(id: $id) { placements { id } } }`, { id: pupilId });
      expect(data.pupil.placements).toHaveLength(1);
      return data.pupil.placements[0].id as string;
    });
    return { pupilId, referralId, placementId };
  };

  const CASES: Case[] = [
    // directory
    {
      key: 'Query.provider', service: 'directory', label: 'an APPLIED provider', via: 'gateway', approved: false,
      ownProvider: (w) => w.providerApplied,
      request: (w) => ({ query: Q.provider, variables: { id: w.providerApplied } }),
      judge: (d, w) => nullOr(d.provider?.id === w.providerApplied, d.provider),
    },
    {
      key: 'Query.provider', service: 'directory', label: 'an APPROVED provider', via: 'gateway', approved: true,
      request: (w) => ({ query: Q.provider, variables: { id: w.providerOwn } }),
      judge: (d, w) => nullOr(d.provider?.id === w.providerOwn, d.provider),
    },
    {
      key: 'Query.providers', service: 'directory', label: 'an APPLIED provider listed', via: 'gateway', approved: false,
      ownProvider: (w) => w.providerApplied,
      request: () => ({ query: Q.providers }),
      judge: (d, w) => listed(has(d.providers, w.providerApplied)),
    },
    {
      key: 'Query.providers', service: 'directory', label: 'an APPROVED provider listed', via: 'gateway', approved: true,
      request: () => ({ query: Q.providers }),
      judge: (d, w) => listed(has(d.providers, w.providerOwn)),
    },
    {
      key: 'Query.searchProviders', service: 'directory', label: 'an APPLIED provider found', via: 'gateway', approved: false,
      ownProvider: (w) => w.providerApplied,
      request: () => ({ query: Q.searchProviders }),
      judge: (d, w) => listed(has(d.searchProviders?.edges.map((e: { node: { id: string } }) => e.node), w.providerApplied)),
    },
    {
      key: 'Query.searchProviders', service: 'directory', label: 'an APPROVED provider found', via: 'gateway', approved: true,
      request: () => ({ query: Q.searchProviders }),
      judge: (d, w) => listed(has(d.searchProviders?.edges.map((e: { node: { id: string } }) => e.node), w.providerOwn)),
    },
    {
      key: 'Query.localOffer', service: 'directory', label: `LA ${OWN.la}'s local offer`, via: 'gateway', approved: true,
      request: () => ({ query: Q.localOffer, variables: { la: OWN.la } }),
      judge: (d, w) => listed(has(d.localOffer?.edges.map((e: { node: { id: string } }) => e.node), w.providerOwn)),
    },
    // referral
    {
      key: 'Query.pupil', service: 'referral', label: 'a referred pupil', via: 'gateway',
      request: (w) => ({ query: Q.pupil, variables: { id: w.pupil } }),
      judge: (d, w) => nullOr(d.pupil?.id === w.pupil, d.pupil),
    },
    {
      key: 'Query.referral', service: 'referral', label: 'an accepted referral', via: 'gateway',
      request: (w) => ({ query: Q.referral, variables: { id: w.referral } }),
      judge: (d, w) => nullOr(d.referral?.id === w.referral, d.referral),
    },
    {
      key: 'Pupil.referrals', service: 'referral', label: 'the pupil’s referrals', via: 'subgraph',
      request: (w) => ({ query: Q.pupilReferrals, variables: { r: [{ __typename: 'Pupil', id: w.pupil }] } }),
      judge: (d, w) => listed(has(d._entities?.[0]?.referrals, w.referral)),
    },
    // placement
    {
      key: 'Query.placement', service: 'placement', label: 'a planned placement', via: 'gateway',
      request: (w) => ({ query: Q.placement, variables: { id: w.placement } }),
      judge: (d, w) => nullOr(d.placement?.id === w.placement, d.placement),
    },
    {
      key: 'Pupil.placements', service: 'placement', label: 'the pupil’s placements', via: 'subgraph',
      request: (w) => ({ query: Q.pupilPlacements, variables: { r: [{ __typename: 'Pupil', id: w.pupil }] } }),
      judge: (d, w) => listed(has(d._entities?.[0]?.placements, w.placement)),
    },
    // safeguarding
    {
      key: 'Query.audit', service: 'safeguarding-audit', label: 'an audit', via: 'gateway',
      request: (w) => ({ query: Q.audit, variables: { id: w.audit } }),
      judge: (d, w) => nullOr(d.audit?.id === w.audit, d.audit),
    },
    {
      key: 'Provider.audits', service: 'safeguarding-audit', label: 'a provider’s audits', via: 'subgraph',
      request: (w) => ({ query: Q.providerAudits, variables: { r: [{ __typename: 'Provider', id: w.providerOwn }] } }),
      judge: (d, w) => listed(has(d._entities?.[0]?.audits, w.audit)),
    },
    // outcomes
    {
      key: 'Query.providerOutcomes', service: 'outcomes', label: 'a provider’s outcomes', via: 'gateway',
      request: (w) => ({ query: Q.providerOutcomes, variables: { id: w.providerOwn } }),
      judge: (d, w) => (d.providerOutcomes?.providerId === w.providerOwn ? 'allowed' : `unexpected ${JSON.stringify(d)}`),
    },
    // writes, each allowed one on a fresh target
    {
      key: 'Mutation.registerProvider', service: 'directory', label: 'a new provider', via: 'gateway', write: true,
      request: () => ({ query: Q.registerProvider, variables: { input: { name: `Walk ${randomUUID().slice(0, 8)}`, registrationType: 'UNREGISTERED' } } }),
      judge: (d) => created(d.registerProvider),
    },
    {
      key: 'Mutation.approveProvider', service: 'directory', label: 'an APPLIED provider', via: 'gateway', write: true,
      fresh: () => registerProvider(OWN.la, false),
      request: (w, a) => ({ query: Q.approveProvider, variables: { id: a.fresh ?? w.providerApplied } }),
      judge: (d) => created(d.approveProvider),
    },
    {
      key: 'Mutation.updateProviderProfile', service: 'directory', label: 'an APPLIED provider', via: 'gateway', write: true,
      ownProvider: (w) => w.providerApplied,
      request: (w) => ({ query: Q.updateProviderProfile, variables: { id: w.providerApplied, input: { address: '1 Walk Lane, Devizes' } } }),
      judge: (d) => created(d.updateProviderProfile),
    },
    {
      key: 'Mutation.addOffer', service: 'directory', label: 'an APPLIED provider', via: 'gateway', write: true,
      ownProvider: (w) => w.providerApplied,
      request: (w) => ({ query: Q.addOffer, variables: { p: w.providerApplied, input: OFFER } }),
      judge: (d) => created(d.addOffer),
    },
    {
      key: 'Mutation.updateOffer', service: 'directory', label: 'an APPLIED provider’s offer', via: 'gateway', write: true,
      ownProvider: (w) => w.providerApplied,
      request: (w) => ({ query: Q.updateOffer, variables: { id: w.offerApplied, input: { ...OFFER, capacity: 5 } } }),
      judge: (d) => created(d.updateOffer),
    },
    {
      key: 'Mutation.closeOffer', service: 'directory', label: 'an APPLIED provider’s offer', via: 'gateway', write: true,
      ownProvider: (w) => w.providerApplied,
      fresh: () => addOffer(world.providerApplied),
      request: (w, a) => ({ query: Q.closeOffer, variables: { id: a.fresh ?? w.offerApplied } }),
      judge: (d) => created(d.closeOffer),
    },
    {
      key: 'Mutation.suspendProvider', service: 'directory', label: 'an APPROVED provider', via: 'gateway', write: true,
      fresh: () => registerProvider(OWN.la, true),
      request: (w, a) => ({ query: Q.suspendProvider, variables: { id: a.fresh ?? w.providerOwn, r: 'Walk' } }),
      judge: (d) => created(d.suspendProvider),
    },
    {
      key: 'Mutation.withdrawProvider', service: 'directory', label: 'a provider', via: 'gateway', write: true,
      fresh: () => registerProvider(OWN.la, false),
      request: (w, a) => ({ query: Q.withdrawProvider, variables: { id: a.fresh ?? w.providerOwn, r: 'Walk' } }),
      judge: (d) => created(d.withdrawProvider),
    },
    {
      key: 'Mutation.reinstateProvider', service: 'directory', label: 'a suspended provider', via: 'gateway', write: true,
      fresh: async () => {
        const id = await registerProvider(OWN.la, true);
        await ok(url, await laAdmin(), Q.suspendProvider, { id, r: 'Walk' });
        return id;
      },
      request: (w, a) => ({ query: Q.reinstateProvider, variables: { id: a.fresh ?? w.providerOwn, r: 'Walk' } }),
      judge: (d) => created(d.reinstateProvider),
    },
    {
      key: 'Mutation.registerSchool', service: 'directory', label: 'a school of the admin’s LA', via: 'gateway', write: true,
      request: (_w, a) => ({ query: Q.registerSchool, variables: { input: newSchool(a.side === 'own' ? OWN.la : OTHER.la) } }),
      judge: (d) => (d.registerSchool?.urn ? 'allowed' : `unexpected ${JSON.stringify(d)}`),
    },
    {
      key: 'Mutation.importSchools', service: 'directory', label: 'schools', via: 'gateway', write: true,
      request: (_w, a) => ({ query: Q.importSchools, variables: { input: [newSchool(ROLE_ORG_TYPE[a.role] === 'la' && a.side === 'other' ? OTHER.la : OWN.la)] } }),
      judge: (d) => (d.importSchools?.length === 1 ? 'allowed' : `unexpected ${JSON.stringify(d)}`),
    },
    {
      key: 'Mutation.registerPupil', service: 'referral', label: `a pupil of LA ${OWN.la}`, via: 'gateway', write: true,
      request: () => ({
        query: Q.registerPupil,
        variables: { input: { upn: makeUpn(), givenName: 'Ada', familyName: 'Walker', dateOfBirth: '2012-05-01', homeLaCode: OWN.la } },
      }),
      judge: (d) => created(d.registerPupil),
    },
    {
      key: 'Mutation.submitReferral', service: 'referral', label: 'a referral of a registered pupil', via: 'gateway', write: true,
      fresh: () => registerPupil(),
      request: (w, a) => ({
        query: Q.submitReferral,
        variables: {
          input: {
            pupilId: a.fresh ?? w.pupil,
            providerId: w.providerOwn,
            reason: 'RISK_OF_EXCLUSION',
            parentalConsent: true,
            // An LA refers on a school's behalf and names it; a school refers for itself.
            ...(ROLE_ORG_TYPE[a.role] === 'la' ? { schoolUrn: OWN.school } : {}),
          },
        },
      }),
      judge: (d) => created(d.submitReferral),
    },
    {
      key: 'Mutation.acceptReferral', service: 'referral', label: 'a submitted referral', via: 'gateway', write: true,
      fresh: async () => refer(await registerPupil(), world.providerOwn),
      request: (w, a) => ({ query: Q.acceptReferral, variables: { id: a.fresh ?? w.pendingReferral } }),
      judge: (d) => created(d.acceptReferral),
    },
    {
      key: 'Mutation.startPlacement', service: 'placement', label: 'a planned placement', via: 'gateway', write: true,
      fresh: async () => (await acceptedPlacement(world.providerOwn)).placementId,
      request: (w, a) => ({ query: Q.startPlacement, variables: { id: a.fresh ?? w.placement } }),
      judge: (d) => created(d.startPlacement),
    },
    {
      key: 'Mutation.completeAudit', service: 'safeguarding-audit', label: 'an audit of a provider', via: 'gateway', write: true,
      request: (w) => ({ query: Q.completeAudit, variables: { input: { providerId: w.providerOwn, rating: 'GREEN' } } }),
      judge: (d) => created(d.completeAudit),
    },
  ];

  const tableOf = (service: ServiceName) => SERVICES.find((s) => s.name === service)!.table;

  /** What the table says this role, from this side, gets. */
  function expectation(c: Case, role: Role, side: Side): Outcome {
    const row = tableOf(c.service)[c.key];
    const relation = row.roles[role];
    if (relation === 'denied') return 'FORBIDDEN';
    if (relation === 'any' || relation === 'self') return 'allowed';
    if (relation === 'approvedProvider') return c.approved ? 'allowed' : row.refusal;
    if (relation === 'providersLaOrApproved') return side === 'own' || c.approved ? 'allowed' : row.refusal;
    // The fixtures are built so that "own" holds every organisation relation and "other" none.
    return side === 'own' ? 'allowed' : row.refusal;
  }

  function organisation(c: Case, role: Role, side: Side): string {
    const type = ROLE_ORG_TYPE[role];
    if (type === 'provider') return `provider:${side === 'own' ? (c.ownProvider ?? ((w) => w.providerOwn))(world) : world.providerOther}`;
    return `${type}:${(side === 'own' ? OWN : OTHER)[type]}`;
  }

  async function run(c: Case, a: Attempt): Promise<Outcome> {
    const { query, variables } = c.request(world, a);
    const org = organisation(c, a.role, a.side);
    let res: GraphQLResponse;
    if (c.via === 'gateway') {
      res = await graphql(url, query, variables, { token: await clientToken(a.role, org) });
    } else {
      res = await graphql(stack.services[c.service].graphqlUrl, query, variables, { token: await internalToken(c.service, principal(a.role, org)) });
    }
    if (res.errors?.length) {
      const codes = [...new Set(res.errors.map((e) => e.extensions?.code))];
      return codes.length === 1 ? String(codes[0]) : `errors ${JSON.stringify(codes)}`;
    }
    return c.judge(res.data, world, a);
  }

  beforeAll(async () => {
    stack = await startStack();
    url = stack.gateway.url;
    const [providerOwn, providerApplied, providerOther] = await Promise.all([
      registerProvider(OWN.la, true),
      registerProvider(OWN.la, false),
      registerProvider(OTHER.la, true),
    ]);
    const [offerApplied] = await Promise.all([addOffer(providerApplied), addOffer(providerOwn)]);
    const story = await acceptedPlacement(providerOwn);
    const pendingReferral = await refer(await registerPupil(), providerOwn);
    // The audit service learns the provider's LA from the directory's events, a moment later.
    const qa = await clientToken('QA_OFFICER', `la:${OWN.la}`);
    const audit = await eventually(async () =>
      (await ok(url, qa, Q.completeAudit, { input: { providerId: providerOwn, rating: 'AMBER', summary: 'Training records incomplete' } })).completeAudit.id as string,
    );
    await eventually(async () => ok(url, await clientToken('ANALYST', `la:${OWN.la}`), Q.providerOutcomes, { id: providerOwn }));
    world = { providerOwn, providerApplied, providerOther, pupil: story.pupilId, referral: story.referralId, placement: story.placementId, pendingReferral, audit, offerApplied };
  });
  afterAll(() => stack?.stop());

  it('has a row for every operation of every subgraph, and no row for a field a schema lacks', () => {
    const problems: string[] = [];
    for (const s of SERVICES) {
      const schema = buildSubgraphSchema([{ typeDefs: s.typeDefs }]);
      for (const op of operationsOf(schema)) if (!s.table[op]) problems.push(`${s.name}: ${op} has no row in services/*/src/access.ts`);
      for (const key of Object.keys(s.table)) {
        const [type, field] = key.split('.');
        const t = schema.getType(type) as { getFields?: () => Record<string, unknown> } | undefined;
        if (!t?.getFields?.()[field]) problems.push(`${s.name}: row ${key} names no field of the schema`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('walks every row with a case: an operation without one fails here', () => {
    const walked = new Set(CASES.map((c) => `${c.service}:${c.key}`));
    const unwalked = SERVICES.flatMap((s) => Object.keys(s.table).map((k) => `${s.name}:${k}`)).filter((k) => !walked.has(k));
    expect(unwalked).toEqual([]);
  });

  it('answers every role, from its own organisation and another, exactly as the tables say', async () => {
    const mismatches: string[] = [];
    let allowed = 0;
    let denied = 0;
    // Reads first, on the shared fixtures; then writes, each allowed attempt on a fresh target.
    const ordered = [...CASES.filter((c) => !c.write), ...CASES.filter((c) => c.write)];
    for (const c of ordered) {
      const attempts: Attempt[] = ROLES.flatMap((role) => (['own', 'other'] as Side[]).map((side) => ({ role, side, expected: expectation(c, role, side) })));
      if (c.fresh) {
        const needing = attempts.filter((a) => a.expected === 'allowed');
        const targets = await Promise.all(needing.map(() => c.fresh!()));
        needing.forEach((a, i) => (a.fresh = targets[i]));
      }
      // Refusals first, so that a shared target is still as it was set up for each of them.
      for (const a of [...attempts.filter((x) => !x.fresh), ...attempts.filter((x) => x.fresh)]) {
        const got = await run(c, a);
        if (a.expected === 'allowed') allowed++;
        else denied++;
        if (got !== a.expected) mismatches.push(`${c.key} (${c.label}) as ${a.role} of ${a.side === 'own' ? 'its own' : 'another'} organisation: table says ${a.expected}, got ${got}`);
      }
    }
    const total = allowed + denied;
    console.log(`access walk: ${total} cases: ${allowed} allowed, ${denied} denied, ${mismatches.length} mismatches`);
    expect(mismatches).toEqual([]);
  });

  describe('the audit write that crossed LAs (issue 6, item 2)', () => {
    const auditsOf = async (providerId: string) =>
      Number((await stack.services['safeguarding-audit'].dataSource.query(`SELECT count(*) AS n FROM audit WHERE provider_id = $1`, [providerId]))[0].n);

    it('refuses a QA officer or LA admin of another LA (NOT_FOUND), writes nothing and leaves compliance alone', async () => {
      const before = await auditsOf(world.providerOther);
      for (const role of ['QA_OFFICER', 'LA_ADMIN'] as const) {
        const res = await graphql(url, Q.completeAudit, { input: { providerId: world.providerOther, rating: 'RED' } }, { token: await clientToken(role, `la:${OWN.la}`) });
        expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
        expect(res.data ?? null).toBeNull();
      }
      expect(await auditsOf(world.providerOther)).toBe(before);
      const mine = await ok(url, await clientToken('LA_ADMIN', `la:${OTHER.la}`), Q.provider, { id: world.providerOther });
      expect(mine.provider).toEqual({ id: world.providerOther });
      const { provider } = await ok(url, await clientToken('LA_ADMIN', `la:${OTHER.la}`), `query($id: ID!) { provider(id: $id) { compliance } }`, { id: world.providerOther });
      expect(provider.compliance).toBe('NOT_AUDITED');
    });

    it('refuses an unknown providerId with NOT_FOUND: no orphan audit, and never {"data":null} without errors', async () => {
      const providerId = randomUUID();
      const res = await graphql(url, `mutation($input: CompleteAuditInput!) { completeAudit(input: $input) { id compliance provider { id name } } }`, {
        input: { providerId, rating: 'RED' },
      }, { token: await clientToken('QA_OFFICER', `la:${OWN.la}`) });
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
      expect(await auditsOf(providerId)).toBe(0);
      expect(Number((await stack.services['safeguarding-audit'].dataSource.query(`SELECT count(*) AS n FROM outbox WHERE key = $1`, [providerId]))[0].n)).toBe(0);
    });

    it('keeps a MIS client to pushing pupils: no pupil, referral or placement through any path', async () => {
      const mis = await clientToken('MIS_CLIENT', `school:${OWN.school}`);
      for (const [query, variables] of [
        [Q.referral, { id: world.referral }],
        [Q.pupil, { id: world.pupil }],
        [`query($id: ID!) { pupil(id: $id) { referrals { id } placements { id } } }`, { id: world.pupil }],
        [Q.placement, { id: world.placement }],
      ] as const) {
        const res = await graphql(url, query, variables, { token: mis });
        expect(res.errors?.map((e) => e.extensions?.code)).toContain('FORBIDDEN');
        expect(JSON.stringify(res.data ?? null)).not.toContain(world.referral);
      }
      const registered = await graphql(url, Q.registerPupil, {
        input: { upn: makeUpn(), givenName: 'Mo', familyName: 'Push', dateOfBirth: '2012-01-01', homeLaCode: OWN.la },
      }, { token: mis });
      expect(registered.errors).toBeUndefined();
    });
  });
});
