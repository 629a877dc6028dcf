import { setTimeout as sleep } from 'node:timers/promises';
import { SERVICE_NAMES } from '@ap/config';
import { eventually, PrivateBroker, startPrivateBroker } from '@ap/testing';
import { ACCEPT, cast, ok, referPupil } from '../e2e/flow';
import { startStack, Stack } from '../e2e/stack';
import { say, seconds } from './drill';

const DRILL = 'Kafka stopped during writes';
const STORIES = 6;
const OUTCOMES = `query($id: ID!) { providerOutcomes(providerId: $id) { placementsStarted } }`;
const START = `mutation($id: ID!) { startPlacement(id: $id) { status } }`;
const PLACEMENT_OF = `query($id: ID!) { pupil(id: $id) { placements { id status } } }`;

/**
 * Referrals are accepted one after another while the broker is stopped underneath them. Every
 * write must succeed (its event waits in the outbox), and once Kafka is back every event must be
 * published and applied exactly once: one placement per referral, one placement.planned each,
 * and each provider's placementsStarted exactly 1 after its placement starts.
 */
describe('Kafka stopped during writes', () => {
  let broker: PrivateBroker;
  let stack: Stack;

  beforeAll(async () => {
    broker = await startPrivateBroker();
    stack = await startStack({ brokers: broker.brokers });
  });
  afterAll(async () => {
    await stack?.stop();
    await broker?.destroy();
  });

  const unpublished = async () => {
    const counts: Record<string, number> = {};
    for (const name of SERVICE_NAMES) {
      const [{ n }] = await stack.services[name].dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`);
      counts[name] = n;
    }
    return counts;
  };

  it('loses no event and applies none twice', async () => {
    const url = stack.gateway.url;
    const people = await cast();
    const stories: Awaited<ReturnType<typeof referPupil>>[] = [];
    for (let i = 0; i < STORIES; i++) stories.push(await referPupil(url, people));
    say(DRILL, `${STORIES} referrals submitted with the broker up`);

    // Accepts go on while the broker stops: the first ones before, the rest during the outage.
    const began = Date.now();
    const accepting = (async () => {
      for (const story of stories) {
        const { acceptReferral } = await ok(url, story.providerToken, ACCEPT, { id: story.referralId });
        expect(acceptReferral.status).toBe('ACCEPTED');
        await sleep(400);
      }
    })();
    await sleep(600);
    await Promise.all([accepting, broker.stop()]);
    say(DRILL, `${STORIES} accepts answered while the broker was being stopped (${seconds(began)}); every one succeeded`);
    await sleep(1500);
    const waiting = await unpublished();
    say(DRILL, `with the broker down, events waiting in the outboxes: ${JSON.stringify(waiting)}`);
    expect(waiting.referral).toBeGreaterThan(0);
    const readyz = (await (await fetch(`${stack.services.referral.url}/readyz`)).json()) as any;
    expect(readyz.status).toBe('degraded');
    say(DRILL, `referral /readyz while Kafka is down: ${readyz.status}, kafka ${readyz.checks.kafka.status}, outbox pending ${readyz.checks.outbox.pending}`);

    const back = Date.now();
    await broker.start();
    const placementIds = await eventually(
      async () => {
        const ids: string[] = [];
        for (const story of stories) {
          const { pupil } = await ok(url, people.school, PLACEMENT_OF, { id: story.pupilId });
          expect(pupil.placements).toHaveLength(1);
          ids.push(pupil.placements[0].id);
        }
        return ids;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    say(DRILL, `broker back: all ${STORIES} placements planned ${seconds(back)} after it was started again`);

    for (const [i, story] of stories.entries()) await ok(url, story.providerToken, START, { id: placementIds[i] });
    await eventually(
      async () => {
        for (const story of stories) {
          expect((await ok(url, people.analyst, OUTCOMES, { id: story.providerId })).providerOutcomes.placementsStarted).toBe(1);
        }
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );

    // Nothing left behind, nothing doubled.
    await eventually(async () => expect(Object.values(await unpublished()).every((n) => n === 0)).toBe(true), { timeoutMs: 60_000 });
    const placement = stack.services.placement.dataSource;
    const referralIds = stories.map((s) => s.referralId);
    const [{ placements }] = await placement.query(`SELECT count(*)::int AS placements FROM placement WHERE referral_id = ANY($1::uuid[])`, [referralIds]);
    const [{ planned }] = await placement.query(
      `SELECT count(*)::int AS planned FROM outbox WHERE type = 'placement.planned' AND envelope->'payload'->>'referralId' = ANY($1::text[])`,
      [referralIds],
    );
    const [{ accepted }] = await stack.services.referral.dataSource.query(
      `SELECT count(*)::int AS accepted FROM outbox WHERE type = 'referral.accepted' AND envelope->'payload'->>'referralId' = ANY($1::text[])`,
      [referralIds],
    );
    expect({ accepted, placements, planned }).toEqual({ accepted: STORIES, placements: STORIES, planned: STORIES });
    say(DRILL, `every outbox empty; ${accepted} referral.accepted → ${placements} placements, ${planned} placement.planned; each provider's placementsStarted = 1`);
  });
});
