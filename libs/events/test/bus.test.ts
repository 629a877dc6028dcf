import { randomUUID } from 'node:crypto';
import { DeliveredMessage, KafkaEventBus, Subscription } from '../src';
import { eventually, logger, uniqueName } from './support';
import { useKafkaNamespace } from '@ap/testing';

jest.setTimeout(60_000);

describe('Kafka event bus', () => {
  let bus: KafkaEventBus;
  let topic: string;

  beforeAll(async () => {
    topic = `${useKafkaNamespace()}.bus.events`;
    bus = new KafkaEventBus({ clientId: 'events-test-bus', logger });
    await bus.ensureTopics([topic]);
  });

  afterAll(async () => {
    await bus?.close();
  });

  it('creates topics idempotently', async () => {
    await expect(bus.ensureTopics([topic])).resolves.toBeUndefined();
    await expect(new KafkaEventBus({ clientId: 'events-test-bus-2', logger }).ensureTopics([topic])).resolves.toBeUndefined();
  });

  // A TypeError is one KafkaJS will not restart a consumer after; the bus must.
  it.each([
    ['an ordinary error', () => new Error('database busy')],
    ['an error KafkaJS treats as fatal', () => new TypeError('undefined is not a function')],
  ])('delivers a message again after its handling failed with %s', async (_name, failure) => {
    const key = randomUUID();
    const seen: DeliveredMessage[] = [];
    let failuresLeft = 2;
    let subscription: Subscription | undefined;
    try {
      subscription = await bus.subscribe({
        groupId: uniqueName('bus-reader'),
        topics: [topic],
        handle: async (m) => {
          if (m.key !== key) return;
          seen.push(m);
          if (m.value === 'first' && failuresLeft-- > 0) throw failure();
        },
      });
      await bus.publish(topic, [
        { key, value: 'first', headers: { 'x-test': 'yes' } },
        { key, value: 'second' },
      ]);
      await eventually(() => expect(seen.map((m) => m.value)).toEqual(['first', 'first', 'first', 'second']), { timeoutMs: 30_000 });
      expect(seen[0].headers).toEqual({ 'x-test': 'yes' });
      expect(new Set(seen.map((m) => m.offset)).size).toBe(2);
    } finally {
      await subscription?.stop();
    }
  });
});
