/**
 * The bench's data, made through the gateway as the users would (like infra/demo/seed.ts): an
 * approved provider, and 50 pupils of school 100001, each with a planned placement there (so
 * the school's reviewsDue lists 50 pupils). Remembered in .run/bench-dataset.json and checked
 * on every run, so a second run only reads.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueClientToken, parseOrganisation, Principal, Role } from '@ap/auth';
import { eventually, makeUpn } from '@ap/testing';
import { gatewayUrl, post, ROOT } from './lib';

export const LIST_SIZE = 50;
const STATE = join(ROOT, '.run', 'bench-dataset.json');

export interface Dataset {
  gateway: string;
  providerId: string;
  pupilIds: string[];
}

export const principalOf = (role: Role, org: string, userId: string): Principal => ({ userId, role, org: parseOrganisation(org) });
export const SCHOOL = principalOf('SCHOOL_USER', 'school:100001', 'bench-school');
const LA_ADMIN = principalOf('LA_ADMIN', 'la:865', 'bench-la-admin');

export const bearer = async (p: Principal) => ({ authorization: `Bearer ${await issueClientToken(p)}` });

/** The three queries of the comparison. */
export const QUERIES = {
  /** One subgraph (referral): the issue's direct-versus-gateway query. */
  oneSubgraph: (pupilId: string) => ({
    query: `query OnePupil($id: ID!) { pupil(id: $id) { upn referrals { status day6Deadline } } }`,
    variables: { id: pupilId },
  }),
  /** The README's query: referral, placement and directory, with entities. */
  threeSubgraphs: (pupilId: string) => ({
    query: `query PupilAcross($id: ID!) { pupil(id: $id) { upn referrals { status day6Deadline } placements { status provider { name compliance } } } }`,
    variables: { id: pupilId },
  }),
  /** 50 pupils (the school's reviews due), each with its placements and their providers. */
  fiftyPupils: () => ({
    query: `query ReviewsDue { reviewsDue(first: ${LIST_SIZE}) { reviews { dueDate placement { pupil { upn placements { status provider { name compliance } } } } } } }`,
  }),
};

export async function ensureDataset(): Promise<Dataset> {
  const gateway = gatewayUrl();
  const school = await bearer(SCHOOL);
  if (existsSync(STATE)) {
    const state = JSON.parse(readFileSync(STATE, 'utf8')) as Dataset;
    if (state.gateway === gateway) {
      const found = await post(gateway, QUERIES.oneSubgraph(state.pupilIds[0]), school).catch(() => null);
      if (found?.pupil?.referrals?.length) return state;
    }
  }
  const la = await bearer(LA_ADMIN);
  const { registerProvider } = await post(gateway, {
    query: `mutation($input: RegisterProviderInput!) { registerProvider(input: $input) { id } }`,
    variables: { input: { name: `Bench Provider ${Date.now()}`, registrationType: 'UNREGISTERED', postcode: 'SN10 1AA' } },
  }, la);
  const providerId = registerProvider.id as string;
  await post(gateway, { query: `mutation($id: ID!) { approveProvider(id: $id) { id } }`, variables: { id: providerId } }, la);
  const pupilIds: string[] = [];
  const start = new Date().toISOString().slice(0, 10);
  const end = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
  for (let i = 0; i < LIST_SIZE; i++) {
    const { registerPupil } = await post(gateway, {
      query: `mutation($input: RegisterPupilInput!) { registerPupil(input: $input) { id } }`,
      variables: { input: { upn: makeUpn(), givenName: `Bench${i}`, familyName: 'Pupil', dateOfBirth: '2011-06-01', homeLaCode: '865' } },
    }, school);
    const pupilId = registerPupil.id as string;
    const input = {
      pupilId, providerId, type: 'SCHOOL_COMMISSIONED', plannedStartDate: start, plannedEndDate: end, costPerDay: 95,
      timetable: ['MON', 'TUE', 'WED', 'THU', 'FRI'].map((day) => ({ day, start: '09:00', end: '15:00' })),
    };
    // The first waits until the placement service has heard of the provider's approval.
    await eventually(() => post(gateway, { query: `mutation($input: CreatePlacementInput!) { createPlacement(input: $input) { id } }`, variables: { input } }, school));
    pupilIds.push(pupilId);
  }
  // The first pupil also has a referral, so the one-subgraph query reads a list with something in it.
  await eventually(() => post(gateway, {
    query: `mutation($input: SubmitReferralInput!) { submitReferral(input: $input) { id } }`,
    variables: { input: { pupilId: pupilIds[0], providerId, reason: 'PERMANENT_EXCLUSION', firstDayOfExclusion: start, parentalConsent: true } },
  }, school));
  const state: Dataset = { gateway, providerId, pupilIds };
  mkdirSync(join(ROOT, '.run'), { recursive: true });
  writeFileSync(STATE, JSON.stringify(state, null, 2));
  return state;
}
