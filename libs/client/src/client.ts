/**
 * The smallest client that keeps the types: `request(document, variables)` posts one typed
 * document node to the gateway with fetch (Node 18+ and every browser have it) and returns its
 * data typed by the operation, or throws ApClientError carrying the GraphQL errors. Its only
 * runtime import is graphql's printer (graphql is the peer every GraphQL front end already has);
 * each document is printed once.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql/language/printer';

export interface GraphQLErrorBody {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; field?: string; problems?: unknown[]; [key: string]: unknown };
}

/** A request that did not give data: the GraphQL errors (codes in extensions.code), or the HTTP failure. */
export class ApClientError extends Error {
  override readonly name = 'ApClientError';
  constructor(
    message: string,
    readonly status: number,
    readonly errors: GraphQLErrorBody[],
    /** Whatever data came with the errors (a partial answer when one subgraph is down). */
    readonly data?: unknown,
  ) {
    super(message);
  }
  /** The first error's stable code: BAD_USER_INPUT, FORBIDDEN, NOT_FOUND, CONFLICT… */
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

export interface ApClientOptions {
  /** The gateway's GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  /** The caller's bearer token (a string, or a function asked before each request so it can be refreshed). */
  token?: string | (() => string | Promise<string>);
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** Another fetch (tests, a proxy); the global one by default. */
  fetch?: typeof fetch;
}

export interface RequestOptions {
  /** Makes a creating mutation safe to retry (the same key and input return what the first attempt created). */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

type VariablesArg<V> = Record<string, never> extends V ? [variables?: V, options?: RequestOptions] : [variables: V, options?: RequestOptions];

export interface ApClient {
  request<R, V extends Record<string, unknown>>(document: TypedDocumentNode<R, V>, ...args: VariablesArg<V>): Promise<R>;
}

const printed = new WeakMap<object, string>();

export function createApClient(options: ApClientOptions): ApClient {
  const doFetch = options.fetch ?? fetch;
  return {
    async request(document, ...[variables, requestOptions]) {
      let query = printed.get(document);
      if (query === undefined) printed.set(document, (query = print(document)));
      const token = typeof options.token === 'function' ? await options.token() : options.token;
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', ...options.headers };
      if (token) headers.authorization = `Bearer ${token}`;
      if (requestOptions?.idempotencyKey) headers['idempotency-key'] = requestOptions.idempotencyKey;
      const res = await doFetch(options.url, { method: 'POST', headers, body: JSON.stringify({ query, variables: variables ?? {} }), signal: requestOptions?.signal });
      let body: { data?: unknown; errors?: GraphQLErrorBody[] };
      try {
        body = (await res.json()) as typeof body;
      } catch {
        throw new ApClientError(`The gateway answered HTTP ${res.status} without a GraphQL body`, res.status, []);
      }
      if (body.errors?.length || body.data == null) {
        const errors = body.errors ?? [];
        throw new ApClientError(errors.map((e) => e.message).join('; ') || `HTTP ${res.status} without data`, res.status, errors, body.data);
      }
      return body.data as any;
    },
  };
}
