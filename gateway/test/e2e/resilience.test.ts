import { startPrivateBroker } from '@ap/testing';
import { cast, ACCEPT, ok, PUPIL_JOURNEY, referPupil } from './flow';
import { startStack, Stack } from './stack';
import { eventually } from '@ap/testing';

jest.setTimeout(180_000);

/** Runs on a private broker, so that stopping it disturbs no other test. */
describe('nothing is lost while Kafka is down', () => {
  let broker: Awaited<ReturnType<typeof startPrivateBroker>>;
  let stack: Stack;

  beforeAll(async () => {
    broker = await startPrivateBroker();
    stack = await startStack({ brokers: broker.brokers });
  });
  afterAll(async () => {
    await stack?.stop();
    await broker?.destroy();
  });

  it('accepts a referral with the broker stopped, and the placement appears once it returns', async () => {
    const url = stack.gateway.url;
    const people = await cast();
    const story = await referPupil(url, people);

    await broker.stop();
    const accepted = await ok(url, story.providerToken, ACCEPT, { id: story.referralId });
    expect(accepted.acceptReferral.status).toBe('ACCEPTED');
    // Give the relay time to try (it polls every 50 ms here): with the broker down it cannot publish.
    await new Promise((r) => setTimeout(r, 1500));
    // The event waits in the outbox: written, not yet published, not lost.
    const [{ pending }] = await stack.services.referral.dataSource.query(
      `SELECT count(*)::int AS pending FROM outbox WHERE type = 'referral.accepted' AND published_at IS NULL`,
    );
    expect(pending).toBe(1);

    await broker.start();
    await eventually(
      async () => {
        const data = await ok(url, people.school, PUPIL_JOURNEY, { id: story.pupilId });
        expect(data.pupil.placements).toEqual([expect.objectContaining({ status: 'PLANNED' })]);
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
  });
});
