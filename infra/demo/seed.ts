/**
 * Loads a little demo data through the gateway, as the real users would, then prints the URLs
 * and demo tokens. Idempotent: what it made is remembered in .run/demo.json.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueClientToken, parseOrganisation, Role } from '@ap/auth';
import { SERVICE_NAMES, serviceConfig, setting } from '@ap/config';
import { eventually, makeUpn } from '@ap/testing';
import { seedPlacements } from './placements';
import { seedDirectory } from './directory';

const root = join(__dirname, '..', '..');
const stateFile = join(root, '.run', 'demo.json');
const gateway = `http://127.0.0.1:${setting('GATEWAY_PORT')}/graphql`;

const token = (role: Role, org: string, userId: string) => issueClientToken({ userId, role, org: parseOrganisation(org) });

async function call(tokenValue: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(gateway, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenValue}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`demo data: ${body.errors.map((e) => e.message).join('; ')}`);
  return body.data;
}

interface DemoState {
  providerId: string;
  pupilId: string;
  referralId: string;
}

async function seed(laAdmin: string, school: string): Promise<DemoState> {
  if (existsSync(stateFile)) {
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as DemoState;
    const found = await call(laAdmin, `query($id: ID!) { provider(id: $id) { id } }`, { id: state.providerId });
    if (found.provider) return state;
  }
  const { registerProvider } = await call(laAdmin, `mutation($input: RegisterProviderInput!) { registerProvider(input: $input) { id } }`, {
    input: { name: 'Horizons Learning Centre', registrationType: 'UNREGISTERED', postcode: 'SN10 1AA' },
  });
  const providerId = registerProvider.id as string;
  await call(laAdmin, `mutation($id: ID!) { approveProvider(id: $id) { id } }`, { id: providerId });

  // A fresh, valid UPN each time the demo is loaded anew.
  const { registerPupil } = await call(school, `mutation($input: RegisterPupilInput!) { registerPupil(input: $input) { id } }`, {
    input: { upn: makeUpn(), givenName: 'Alex', familyName: 'Morgan', dateOfBirth: '2011-10-04', homeLaCode: '865' },
  });
  const pupilId = registerPupil.id as string;
  // The referral service hears of the provider's approval through Kafka a moment after it is made.
  const { submitReferral } = await eventually(() =>
    call(school, `mutation($input: SubmitReferralInput!) { submitReferral(input: $input) { id } }`, {
      input: { pupilId, providerId, reason: 'PERMANENT_EXCLUSION', firstDayOfExclusion: '2026-11-16', parentalConsent: true },
    }),
  );
  const referralId = submitReferral.id as string;
  const provider = await token('PROVIDER_USER', `provider:${providerId}`, 'demo-provider');
  await call(provider, `mutation($id: ID!) { acceptReferral(id: $id) { id } }`, { id: referralId });
  await panelReferral(school);
  const state = { providerId, pupilId, referralId };
  writeFileSync(stateFile, JSON.stringify(state, null, 2));
  return state;
}

/** A second pupil, referred on the single form through the LA panel: it waits in the LA's referralsAwaitingResponse. */
async function panelReferral(school: string): Promise<void> {
  const today = new Date().toISOString().slice(0, 10);
  const { registerPupil } = await call(school, `mutation($input: RegisterPupilInput!) { registerPupil(input: $input) { id } }`, {
    input: { upn: makeUpn(), givenName: 'Jordan', familyName: 'Reed', dateOfBirth: '2012-02-19', homeLaCode: '865' },
  });
  const { saveReferralDraft } = await call(school, `mutation($input: ReferralDraftInput!) { saveReferralDraft(input: $input) { id } }`, {
    input: {
      pupilId: registerPupil.id, route: 'LA_PANEL', reason: 'SEMH_NEEDS',
      needsAndStrengths: 'Enjoys practical work; finds large classes overwhelming', risks: 'Leaves lessons when anxious', riskLevel: 'MEDIUM',
      interventionsTried: 'Mentor, reduced timetable, CAMHS referral', currentAttendancePercent: 68, outcomesWanted: 'Back to full-time mainstream by summer',
      proposedStartDate: today, hoursWanted: 25, pupilVoice: 'Would like a smaller group', parentVoice: 'Supports a short placement',
      consent: { parentalConsent: true, givenBy: 'Parent', givenOn: today, dataSharingAgreed: true },
    },
  });
  await call(school, `mutation($id: ID!) { submitReferralDraft(id: $id) { id } }`, { id: saveReferralDraft.id });
}

async function main() {
  const laAdmin = await token('LA_ADMIN', 'la:865', 'demo-la-admin');
  const school = await token('SCHOOL_USER', 'school:100001', 'demo-school');
  const state = await seed(laAdmin, school);
  await seedDirectory(call, { '865': laAdmin, '866': await token('LA_ADMIN', 'la:866', 'demo-la-admin-866') });
  const provider = await token('PROVIDER_USER', `provider:${state.providerId}`, 'demo-provider');
  const placements = await seedPlacements(call, { school, provider }, state.providerId);
  console.log(`
AP Pathways is running.

  Gateway (GraphQL):  ${gateway}
${SERVICE_NAMES.map((n) => `  ${n.padEnd(18)}  ${serviceConfig(n).url}  (reachable only through the gateway)`).join('\n')}
  Health:             http://127.0.0.1:${setting('GATEWAY_PORT')}/healthz  /readyz  /metrics

Demo data: provider ${state.providerId} (Horizons Learning Centre), pupil ${state.pupilId}, referral ${state.referralId} (accepted).
Placements: ${placements.active.length + 1} active (one review overdue; the provider must register as an independent school), one ended (reintegrated: ${placements.ended}), one cancelled (${placements.cancelled}).
  As the school: { reviewsDue { reviews { dueDate overdue placement { id type flags } } } }

Demo token (LA_ADMIN, la:865, valid 8 hours):
${laAdmin}

School token (SCHOOL_USER, school:100001):
${school}

Provider token (PROVIDER_USER, provider:${state.providerId}):
${provider}

Try it (as the school):
  curl -s ${gateway} -H 'content-type: application/json' -H "authorization: Bearer <school token>" \\
    -d '{"query":"{ pupil(id: \\"${state.pupilId}\\") { upn referrals { status day6Deadline } placements { status provider { name compliance } } } }"}'

Search the directory (as the school), or the public local offer (no token):
  curl -s ${gateway} -H 'content-type: application/json' -H "authorization: Bearer <school token>" \\
    -d '{"query":"{ searchProviders(filter: { keyStage: KS3, need: SEMH, near: { latitude: 51.35, longitude: -1.99, withinKm: 30 } }) { edges { distanceKm node { name } offers { name freePlaces pricePerDay } } } }"}'
  curl -s ${gateway} -H 'content-type: application/json' -d '{"query":"{ localOffer(laCode: \\"865\\") { totalCount edges { node { name } } } }"}'

Other tokens: npm run -s token -- --role QA_OFFICER --org la:865
Stop everything: npm run stop
`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
