import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { ApolloServer, BaseContext, HeaderMap, HTTPGraphQLResponse } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { Logger, withTrace } from '@ap/logger';

/**
 * Serves an Apollo server on plain node:http with the routes every process of ours has:
 * /graphql, /healthz (the process is up), /readyz (its dependencies answer) and /metrics.
 * Shared by the gateway and the subgraphs so they behave alike.
 */
export interface HttpServiceOptions<TContext extends BaseContext> {
  name: string;
  apollo: ApolloServer<TContext>;
  /** Builds the request's context; a GraphQLError thrown here is answered as the request's error. */
  context(req: IncomingMessage, traceId: string): Promise<TContext>;
  ready(): Promise<boolean>;
  logger: Logger;
  port: number;
  host?: string;
  maxBodyBytes?: number;
}

export interface RunningHttpService {
  url: string;
  port: number;
  /** The /graphql URL. */
  graphqlUrl: string;
  stop(): Promise<void>;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // Stop buffering but let the rest drain, so the client can read the 413.
        req.removeAllListeners('data');
        req.resume();
        reject(new HttpError(413, `Request body is larger than ${maxBytes} bytes: send a smaller request`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (!raw) return undefined;
  if (!contentType?.includes('application/json')) return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'Request body is not valid JSON');
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function graphQLErrorBody(e: GraphQLError) {
  return { errors: [{ message: e.message, extensions: { code: e.extensions?.code } }] };
}

async function writeApolloResponse(res: ServerResponse, response: HTTPGraphQLResponse): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [k, v] of response.headers) headers[k] = v;
  res.writeHead(response.status ?? 200, headers);
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

export async function startHttpService<TContext extends BaseContext>(
  options: HttpServiceOptions<TContext>,
): Promise<RunningHttpService> {
  const { apollo, logger } = options;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.name });
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'Time to answer a GraphQL request',
    registers: [registry],
  });

  await apollo.start();

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse, traceId: string): Promise<number> {
    const stopTimer = duration.startTimer();
    try {
      const raw = req.method === 'POST' ? await readBody(req, maxBodyBytes) : '';
      const body = parseBody(raw, req.headers['content-type']);
      if (Array.isArray(body)) throw new HttpError(400, 'Batched requests are not accepted: send one operation per request');
      const headers = new HeaderMap();
      for (const [k, v] of Object.entries(req.headers)) {
        if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
      }
      let context: TContext;
      try {
        context = await options.context(req, traceId);
      } catch (e) {
        if (e instanceof GraphQLError) {
          const status = e.extensions?.code === 'UNAUTHENTICATED' ? 401 : 403;
          sendJson(res, status, graphQLErrorBody(e));
          return status;
        }
        throw e;
      }
      const url = new URL(req.url ?? '/', 'http://localhost');
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
        context: async () => context,
      });
      await writeApolloResponse(res, response);
      return response.status ?? 200;
    } finally {
      stopTimer();
    }
  }

  const server: Server = createServer((req, res) => {
    const traceHeader = req.headers['x-trace-id'];
    const traceId = (typeof traceHeader === 'string' && traceHeader.length <= 64 && traceHeader) || randomUUID();
    const path = (req.url ?? '/').split('?')[0];
    withTrace(traceId, async () => {
      let status = 200;
      try {
        if (path === '/healthz') {
          sendJson(res, 200, { status: 'ok', service: options.name });
        } else if (path === '/readyz') {
          const ready = await options.ready().catch(() => false);
          status = ready ? 200 : 503;
          sendJson(res, status, { status: ready ? 'ready' : 'not ready', service: options.name });
        } else if (path === '/metrics') {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(await registry.metrics());
        } else if (path === '/graphql') {
          status = await handleGraphQL(req, res, traceId);
        } else {
          status = 404;
          sendJson(res, 404, { error: `No route ${path}: the API is at /graphql` });
        }
      } catch (e) {
        status = e instanceof HttpError ? e.status : 500;
        if (status === 500) logger.error({ err: e }, 'request failed');
        if (!res.headersSent) {
          const message = e instanceof HttpError ? e.message : 'Internal server error';
          const code = status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST';
          sendJson(res, status, { errors: [{ message, extensions: { code } }] }, status === 413 ? { connection: 'close' } : {});
        } else res.end();
      } finally {
        requests.inc({ route: path === '/graphql' ? 'graphql' : 'other', status: String(status) });
      }
    }).catch((e) => logger.error({ err: e }, 'request handler crashed'));
  });
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  logger.info({ url: `${url}/graphql` }, `${options.name} listening`);

  return {
    url,
    port,
    graphqlUrl: `${url}/graphql`,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await apollo.stop();
    },
  };
}
