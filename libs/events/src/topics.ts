import { kafkaNamespace } from '@ap/config';

/**
 * One topic per producing service (not per event type) so that all of an aggregate's events,
 * whatever their type, share a partition and stay in order. Consumers dispatch on `type`.
 */
export function topicFor(producer: string): string {
  const namespace = kafkaNamespace();
  return namespace ? `${namespace}.${producer}.events` : `${producer}.events`;
}

/** Where a consumer parks messages it cannot apply, so it can move on. */
export function deadLetterTopicFor(topic: string): string {
  return `${topic}.dlq`;
}
