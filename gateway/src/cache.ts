import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';

/**
 * Bounds on the two caches a stranger can fill with distinct queries: Apollo's parsed documents
 * and the gateway's query plans. Both count size as JSON, far below a document's real heap (its
 * tokens are kept for locations), so each also has a cap on entries. With documents of at most
 * maxTokens tokens this keeps each cache to tens of megabytes.
 */
export const CACHE_LIMITS = { maxEntries: 500, maxJsonBytes: 8 * 1024 * 1024 };

export function boundedCache<T extends {}>(): InMemoryLRUCache<T> {
  return new InMemoryLRUCache<T>({ max: CACHE_LIMITS.maxEntries, maxSize: CACHE_LIMITS.maxJsonBytes });
}
