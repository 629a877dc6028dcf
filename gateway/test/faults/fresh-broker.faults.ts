import { setTimeout as sleep } from 'node:timers/promises';
import { eventually, startPrivateBroker } from '@ap/testing';
import { ACCEPT, cast, ok, PUPIL_JOURNEY, referPupil } from '../e2e/flow';
import { startStack } from '../e2e/stack';
import { say, seconds } from './drill';

const DRILL = 'fresh broker';
const ROUNDS = 3;

/**
 * Issue 6, item 1: on a broker with no data (kafka.sh reset), the services used to exit while
 * creating their topics ("This server does not host this topic-partition") 8 times in 9. Each
 * round takes a brand-new private broker, starts the whole stack on it the moment it answers,
 * and sends a write end to end through three services' events.
 */
describe('a fresh broker', () => {
  it(`starts the whole stack and carries a write end to end, ${ROUNDS} times in a row`, async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const began = Date.now();
      const broker = await startPrivateBroker();
      const brokerUp = seconds(began);
      let stack: Awaited<ReturnType<typeof startStack>> | undefined;
      try {
        const stackBegan = Date.now();
        stack = await startStack({ brokers: broker.brokers });
        const stackUp = seconds(stackBegan);
        const people = await cast();
        const flowBegan = Date.now();
        // The referral service hears of the provider's approval through Kafka: the first hop.
        const story = await referPupil(stack.gateway.url, people);
        await ok(stack.gateway.url, story.providerToken, ACCEPT, { id: story.referralId });
        // The placement service plans a placement from referral.accepted: the second hop.
        await eventually(
          async () => {
            const data = await ok(stack!.gateway.url, people.school, PUPIL_JOURNEY, { id: story.pupilId });
            expect(data.pupil.placements).toEqual([expect.objectContaining({ status: 'PLANNED' })]);
          },
          { timeoutMs: 120_000, intervalMs: 500 },
        );
        say(DRILL, `round ${round}/${ROUNDS}: new broker up in ${brokerUp}, stack started in ${stackUp}, provider approved → referral → placement PLANNED in ${seconds(flowBegan)}`);
      } finally {
        await stack?.stop();
        await broker.destroy();
      }
      await sleep(100);
    }
    say(DRILL, `${ROUNDS} of ${ROUNDS} fresh starts succeeded`);
  });
});
