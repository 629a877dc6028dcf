/**
 * Hive Gateway for the side-by-side bench (started by bench/side-by-side.ts; not part of the
 * product). The same supergraph, the same running subgraphs, the same token work as ours: the
 * client token is verified once per request, and each subgraph request carries an internal
 * token minted for that subgraph (@ap/auth, the functions our gateway uses). In-flight
 * deduplication is off: it is keyed by URL and body, not by our per-caller headers, so it would
 * hand one caller's answer to another and skip the subgraphs' access log.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { issueInternalToken, Principal, verifyClientToken } from '@ap/auth';
import { SERVICE_NAMES, serviceConfig, ServiceName } from '@ap/config';

const port = Number(process.env.HIVE_PORT ?? 0);
let supergraph = readFileSync(join(__dirname, '..', '..', 'schemas', 'supergraph.graphql'), 'utf8');
const transportEntries: Record<string, { location?: string; options: { deduplicateInflightRequests: boolean } }> = {
  '*': { options: { deduplicateInflightRequests: false } },
};
for (const name of SERVICE_NAMES) {
  // The subgraphs where this stack runs them (the supergraph names the default ports).
  const url = serviceConfig(name).url;
  supergraph = supergraph.replace(new RegExp(`(@join__graph\\(name: "${name}", url: ")[^"]*"`), `$1${url}"`);
  transportEntries[name] = { location: url, options: { deduplicateInflightRequests: false } };
}

const callers = new WeakMap<Request, Promise<{ principal: Principal; traceId: string }>>();
function caller(request: Request) {
  let found = callers.get(request);
  if (!found) {
    const token = (request.headers.get('authorization') ?? '').replace(/^Bearer /i, '');
    found = verifyClientToken(token).then((principal) => ({ principal, traceId: request.headers.get('x-trace-id') ?? randomUUID() }));
    callers.set(request, found);
  }
  return found;
}

const gateway = createGatewayRuntime({
  supergraph,
  logging: false,
  transportEntries,
  propagateHeaders: {
    async fromClientToSubgraphs({ request, subgraphName }) {
      const { principal, traceId } = await caller(request);
      const token = await issueInternalToken({ principal, audience: subgraphName as ServiceName, traceId });
      return { authorization: `Bearer ${token}`, 'x-trace-id': traceId };
    },
  },
});

const server = createServer(gateway);
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  console.log(`hive listening ${typeof address === 'object' && address ? address.port : port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
