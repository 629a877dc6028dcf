import { randomUUID } from 'node:crypto';
import { clientToken, eventually, graphql, makeUpn } from '@ap/testing';

/** The people in the story, each with a real client token from the development issuer. */
export async function cast() {
  return {
    laAdmin: await clientToken('LA_ADMIN', 'la:865'),
    school: await clientToken('SCHOOL_USER', 'school:100001'),
    otherSchool: await clientToken('SCHOOL_USER', 'school:100002'),
    qa: await clientToken('QA_OFFICER', 'la:865'),
    analyst: await clientToken('ANALYST', 'la:865'),
    provider: (providerId: string) => clientToken('PROVIDER_USER', `provider:${providerId}`),
  };
}

/** Runs one operation through the gateway and fails loudly on any error. */
export async function ok<T = any>(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await graphql<T>(url, query, variables, { token });
  if (res.errors?.length) throw new Error(`${query.trim().split('\n')[0]} failed: ${JSON.stringify(res.errors)}`);
  return res.data as T;
}

/** An approved provider, a registered pupil and a submitted referral: the start of every story. */
export async function referPupil(url: string, people: Awaited<ReturnType<typeof cast>>, providerName = `Horizons ${randomUUID().slice(0, 6)}`) {
  const { registerProvider } = await ok(url, people.laAdmin, `mutation($input: RegisterProviderInput!) { registerProvider(input: $input) { id } }`, {
    input: { name: providerName, registrationType: 'UNREGISTERED', postcode: 'SN10 1AA' },
  });
  const providerId: string = registerProvider.id;
  await ok(url, people.laAdmin, `mutation($id: ID!) { approveProvider(id: $id) { approvalStatus } }`, { id: providerId });
  const { registerPupil } = await ok(url, people.school, `mutation($input: RegisterPupilInput!) { registerPupil(input: $input) { id } }`, {
    input: { upn: makeUpn(), givenName: 'Sam', familyName: 'Jones', dateOfBirth: '2011-03-14', homeLaCode: '865' },
  });
  const pupilId: string = registerPupil.id;
  // The referral service learns of the approval from the directory's events, a moment later.
  const { submitReferral } = await eventually(() =>
    ok(url, people.school, `mutation($input: SubmitReferralInput!) { submitReferral(input: $input) { id status } }`, {
      input: { pupilId, providerId, reason: 'RISK_OF_EXCLUSION', parentalConsent: true },
    }),
  );
  return { providerId, providerName, pupilId, referralId: submitReferral.id as string, providerToken: await people.provider(providerId) };
}

export const ACCEPT = `mutation($id: ID!) { acceptReferral(id: $id) { id status } }`;
export const PUPIL_JOURNEY = `query($id: ID!) {
  pupil(id: $id) { upn referrals { status } placements { id status provider { name compliance } } }
}`;
