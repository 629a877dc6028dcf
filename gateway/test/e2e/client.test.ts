import { randomUUID } from 'node:crypto';
import {
  AcceptReferralDocument,
  ApClientError,
  createApClient,
  ProviderOutcomesDocument,
  PupilJourneyDocument,
  ReferralsAwaitingResponseDocument,
  RegisterPupilDocument,
  SaveReferralDraftDocument,
  SearchProvidersDocument,
  RecordAttendanceRegisterDocument,
  StartPlacementDocument,
  SubmitReferralDraftDocument,
} from '@ap/client';
import { sampleLaCalendar, today as todayInEngland } from '@ap/domain';
import { eventually, makeUpn } from '@ap/testing';
import { cast, ok } from './flow';
import { startStack, Stack } from './stack';

jest.setTimeout(90_000);

/**
 * Every operation of the typed client (libs/client), run through the gateway of the whole stack on
 * real PostgreSQL and Kafka, in the order a front end's journeys take them: search, refer, accept,
 * start, read outcomes.
 */
describe('the typed client against the live stack', () => {
  let stack: Stack;
  let people: Awaited<ReturnType<typeof cast>>;

  beforeAll(async () => {
    stack = await startStack();
    people = await cast();
  });
  afterAll(() => stack?.stop());

  it('runs each journey operation, typed, from search to outcomes', async () => {
    const url = stack.gateway.url;
    const today = new Date().toISOString().slice(0, 10);
    const name = `Kestrel Fictional Learning ${randomUUID().slice(0, 6)}`;
    // Set-up an LA admin does in GraphiQL, not the front end's journeys: a provider with an offer.
    const { registerProvider } = await ok(url, people.laAdmin, `mutation($input: RegisterProviderInput!) { registerProvider(input: $input) { id } }`, {
      input: { name, registrationType: 'UNREGISTERED', postcode: 'SN10 1AA', location: { latitude: 51.35, longitude: -1.99 } },
    });
    const providerId: string = registerProvider.id;
    const { addOffer } = await ok(url, people.laAdmin, `mutation($id: ID!, $input: OfferInput!) { addOffer(providerId: $id, input: $input) { id } }`, {
      id: providerId,
      input: { name: 'KS3 SEMH mornings', keyStages: ['KS3'], needs: ['SEMH'], deliveryModes: ['ON_SITE'], sessionsOffered: 10, pricePerDay: 95, capacity: 8 },
    });
    await ok(url, people.laAdmin, `mutation($id: ID!) { approveProvider(id: $id) { id } }`, { id: providerId });

    const school = createApClient({ url, token: people.school });
    const provider = createApClient({ url, token: await people.provider(providerId) });
    const analyst = createApClient({ url, token: people.analyst });

    const search = await school.request(SearchProvidersDocument, { filter: { keyStage: 'KS3', need: 'SEMH', text: name }, first: 5 });
    expect(search.searchProviders.edges.map((e) => e.node.name)).toEqual([name]);
    expect(search.searchProviders.edges[0].offers).toEqual([expect.objectContaining({ id: addOffer.id, keyStages: ['KS3'], freePlaces: 8 })]);

    const { registerPupil } = await school.request(RegisterPupilDocument, {
      input: { upn: makeUpn(), givenName: 'Robin', familyName: 'Example', dateOfBirth: '2012-05-01', homeLaCode: '865' },
    });
    // The referral service hears of the approval from the directory's events a moment later.
    const { saveReferralDraft } = await eventually(() =>
      school.request(SaveReferralDraftDocument, {
        input: {
          pupilId: registerPupil.id, route: 'DIRECT', providerId, offerId: addOffer.id, reason: 'SEMH_NEEDS',
          needsAndStrengths: 'Likes practical work', risks: 'Leaves lessons when anxious', riskLevel: 'MEDIUM',
          interventionsTried: 'Mentor', currentAttendancePercent: 71, outcomesWanted: 'Back to mainstream', proposedStartDate: today,
          hoursWanted: 25, pupilVoice: 'A smaller group', parentVoice: 'Supportive',
          consent: { parentalConsent: true, givenBy: 'Parent', givenOn: today, dataSharingAgreed: true },
        },
      }),
    );
    expect(saveReferralDraft).toMatchObject({ status: 'DRAFT', route: 'DIRECT', provider: { id: providerId, name } });
    const submitted = await school.request(SubmitReferralDraftDocument, { id: saveReferralDraft.id });
    expect(submitted.submitReferralDraft.status).toBe('SUBMITTED');

    const inbox = await provider.request(ReferralsAwaitingResponseDocument, { first: 10 });
    expect(inbox.referralsAwaitingResponse.nodes.map((r) => r.id)).toContain(saveReferralDraft.id);

    const accepted = await provider.request(AcceptReferralDocument, { id: saveReferralDraft.id, input: { agreedStartDate: today } });
    expect(accepted.acceptReferral).toMatchObject({ status: 'ACCEPTED', agreedStartDate: today });

    // The placement service plans the placement from referral.accepted.
    const journey = await eventually(async () => {
      const data = await school.request(PupilJourneyDocument, { id: registerPupil.id });
      expect(data.pupil?.placements).toHaveLength(1);
      return data;
    });
    expect(journey.pupil?.referrals).toEqual([expect.objectContaining({ id: saveReferralDraft.id, status: 'ACCEPTED' })]);
    const placementId = journey.pupil!.placements![0].id;
    expect(journey.pupil!.placements![0]).toMatchObject({ status: 'PLANNED', provider: { id: providerId, name } });

    // Started on the last school day before today, so that its register can be taken whatever day the test runs.
    const lastSchoolDay = sampleLaCalendar().addSchoolDays(todayInEngland(), -1);
    const started = await provider.request(StartPlacementDocument, { id: placementId, startDate: lastSchoolDay });
    expect(started.startPlacement).toMatchObject({ status: 'ACTIVE', startDate: lastSchoolDay });

    const register = await provider.request(RecordAttendanceRegisterDocument, {
      input: { providerId, date: lastSchoolDay, session: 'AM', marks: [{ placementId, code: '/' }] },
    });
    expect(register.recordAttendanceRegister).toEqual([{ date: lastSchoolDay, session: 'AM', code: '/', source: 'PROVIDER', placement: { id: placementId } }]);

    await eventually(async () => {
      const { providerOutcomes } = await analyst.request(ProviderOutcomesDocument, { providerId });
      expect(providerOutcomes).toMatchObject({ providerId, placementsStarted: 1, placementsReintegrated: 0, provider: { name } });
    });
  });

  it("throws ApClientError with the gateway's stable code", async () => {
    const school = createApClient({ url: stack.gateway.url, token: people.school });
    const failure = await school.request(SubmitReferralDraftDocument, { id: randomUUID() }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApClientError);
    expect((failure as ApClientError).code).toBe('NOT_FOUND');
  });
});
