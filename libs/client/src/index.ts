export { ApClientError, createApClient } from './client';
export type { ApClient, ApClientOptions, GraphQLErrorBody, RequestOptions } from './client';
// Each operation's document (e.g. SearchProvidersDocument) and its result and variables types.
export * from './__generated__/operations';
