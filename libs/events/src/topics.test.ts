import { deadLetterTopicFor, topicFor } from './topics';

describe('topic naming', () => {
  const saved = process.env.KAFKA_NAMESPACE;
  afterEach(() => {
    if (saved === undefined) delete process.env.KAFKA_NAMESPACE;
    else process.env.KAFKA_NAMESPACE = saved;
  });

  it('is one topic per producing service when there is no namespace', () => {
    process.env.KAFKA_NAMESPACE = '';
    expect(topicFor('referral')).toBe('referral.events');
  });

  it('prefixes the namespace so test runs never share topics', () => {
    process.env.KAFKA_NAMESPACE = 'run42';
    expect(topicFor('referral')).toBe('run42.referral.events');
  });

  it('names the dead-letter topic after the topic', () => {
    expect(deadLetterTopicFor('run42.referral.events')).toBe('run42.referral.events.dlq');
  });
});
