import { eventually, graphql } from '@ap/testing';
import { ACCEPT, cast, ok, referPupil } from './flow';
import { startStack, Stack } from './stack';

jest.setTimeout(120_000);

const JOURNEY = `query($id: ID!) {
  pupil(id: $id) { upn referrals { status } placements { status provider { name } } }
}`;

/** A subgraph stopped under a running gateway: the rest of the answer arrives, and it recovers. */
describe('one subgraph down', () => {
  let stack: Stack;
  let url: string;
  let people: Awaited<ReturnType<typeof cast>>;
  let story: Awaited<ReturnType<typeof referPupil>>;
  let upn: string;

  beforeAll(async () => {
    stack = await startStack();
    url = stack.gateway.url;
    people = await cast();
    story = await referPupil(url, people);
    await ok(url, story.providerToken, ACCEPT, { id: story.referralId });
    const journey = await eventually(async () => {
      const data = await ok(url, people.school, JOURNEY, { id: story.pupilId });
      expect(data.pupil.placements).toHaveLength(1);
      return data;
    });
    upn = journey.pupil.upn;
  });
  afterAll(() => stack?.stop());

  const readyz = async () => {
    const res = await fetch(url.replace(/\/graphql$/, '/readyz'));
    return { status: res.status, body: (await res.json()) as { status: string; subgraphs: Record<string, string> } };
  };

  it('with the directory stopped, answers the pupil and placements with the provider null and SUBGRAPH_UNAVAILABLE', async () => {
    await stack.stopService('directory');
    const res = await graphql(url, JOURNEY, { id: story.pupilId }, { token: people.school });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ pupil: { upn, referrals: [{ status: 'ACCEPTED' }], placements: [{ status: 'PLANNED', provider: null }] } });
    expect(res.errors).toEqual([
      {
        message: 'The directory service is unavailable; its fields are null. Try again shortly.',
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: 'directory' },
      },
    ]);
    // A root field of the stopped subgraph beside one of another: the other still answers.
    const both = await graphql(url, `query($id: ID!) { providers { id } pupil(id: $id) { upn } }`, { id: story.pupilId }, { token: people.laAdmin });
    expect(both.data).toEqual({ providers: null, pupil: { upn } });
    expect(both.errors?.map((e) => e.extensions)).toEqual([{ code: 'SUBGRAPH_UNAVAILABLE', service: 'directory' }]);

    const ready = await readyz();
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'degraded', checks: { directory: { status: 'down', detail: 'unavailable' }, referral: { status: 'up' }, placement: { status: 'up' } } });
  });

  it('recovers without a gateway restart once the directory is back on its port', async () => {
    await stack.restartService('directory');
    await eventually(async () => {
      const res = await graphql(url, JOURNEY, { id: story.pupilId }, { token: people.school });
      expect(res.errors).toBeUndefined();
      expect(res.data.pupil.placements).toEqual([{ status: 'PLANNED', provider: { name: story.providerName } }]);
    });
    await eventually(async () => expect(await readyz()).toMatchObject({ status: 200, body: { status: 'ready' } }), { timeoutMs: 5000, intervalMs: 300 });
  });

  it('with the placement service stopped, still answers the pupil and its referrals', async () => {
    await stack.stopService('placement');
    try {
      const res = await graphql(url, JOURNEY, { id: story.pupilId }, { token: people.school });
      expect(res.data).toEqual({ pupil: { upn, referrals: [{ status: 'ACCEPTED' }], placements: null } });
      expect(res.errors?.map((e) => e.extensions)).toEqual([{ code: 'SUBGRAPH_UNAVAILABLE', service: 'placement' }]);
    } finally {
      await stack.restartService('placement');
    }
    await eventually(async () => expect((await ok(url, people.school, JOURNEY, { id: story.pupilId })).pupil.placements).toHaveLength(1));
  });
});
