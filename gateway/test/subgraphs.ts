/**
 * Two tiny real subgraphs for the gateway's tests: @apollo/subgraph schemas with graphql-shield
 * permissions, each on Apollo Server 5 behind its own node:http server on port 0, each building
 * its context from the gateway's internal token with contextFromRequest.
 */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@apollo/composition';
import { GraphQLError, parse } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { and } from 'graphql-shield';
import { decodeJwt } from 'jose';
import { allowFields, bearerToken, buildPermissions, contextFromRequest, formatOrganisation, RequestContext, rules } from '@ap/auth';
import { ServiceName } from '@ap/config';
import { invalidInput, notFound } from '@ap/errors';

export interface Seen {
  context: RequestContext;
  /** The decoded internal token the gateway sent. */
  token: Record<string, unknown>;
  traceHeader: string | undefined;
  traceparent: string | undefined;
}

export interface TestSubgraph {
  name: ServiceName;
  sdl: string;
  url: string;
  seen: Seen[];
  stop(): Promise<void>;
}

const DIRECTORY_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query {
    school(urn: ID!): School
    whoami: Whoami
    boom: String
  }
  type Mutation {
    "Refuses any input with two problems, as the domain rules report them."
    renameSchool(urn: ID!, name: String!): School
  }
  type School @key(fields: "urn") {
    urn: ID!
    name: String!
  }
  type Whoami {
    userId: String!
    role: String!
    org: String!
  }
`;

const REFERRAL_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query {
    referrals: [Referral!]!
  }
  type Referral @key(fields: "id") {
    id: ID!
    reason: String!
    "Nullable, as every reference into another subgraph: null when the directory is unavailable."
    school: School
  }
  type School @key(fields: "urn", resolvable: false) {
    urn: ID!
  }
`;

const SCHOOLS: Record<string, string> = { '100001': 'Hillside Primary', '100002': 'Riverside Academy' };

function directorySchema() {
  const resolvers = {
    Query: {
      school: (_: unknown, { urn }: { urn: string }) => {
        if (!SCHOOLS[urn]) throw notFound('School', urn);
        return { urn, name: SCHOOLS[urn] };
      },
      whoami: (_: unknown, __: unknown, ctx: RequestContext) => ({
        userId: ctx.principal!.userId,
        role: ctx.principal!.role,
        org: formatOrganisation(ctx.principal!.org),
      }),
      boom: () => {
        throw new Error('connection to db-secret-host:5432 refused for user directory');
      },
    },
    Mutation: {
      renameSchool: () => {
        throw invalidInput([
          { field: 'urn', message: 'URN must be 6 digits' },
          { field: 'name', message: 'Name must not be empty' },
        ]);
      },
    },
    School: {
      __resolveReference: ({ urn }: { urn: string }) => ({ urn, name: SCHOOLS[urn] ?? 'Unknown school' }),
    },
  };
  return applyMiddleware(
    buildSubgraphSchema([{ typeDefs: parse(DIRECTORY_SDL), resolvers: resolvers as never }]),
    buildPermissions({
      Query: { school: rules.isAuthenticated, whoami: rules.isAuthenticated, boom: rules.isAuthenticated },
      Mutation: { renameSchool: rules.isAuthenticated },
      School: allowFields(),
      Whoami: allowFields(),
    }),
  );
}

function referralSchema() {
  const resolvers = {
    Query: {
      referrals: () => [
        { id: 'r1', reason: 'Permanent exclusion', school: { urn: '100001' } },
        { id: 'r2', reason: 'Medical needs', school: { urn: '100002' } },
      ],
    },
  };
  return applyMiddleware(
    buildSubgraphSchema([{ typeDefs: parse(REFERRAL_SDL), resolvers: resolvers as never }]),
    buildPermissions({
      Query: { referrals: and(rules.isAuthenticated, rules.hasRole('LA_ADMIN', 'LA_OFFICER', 'SCHOOL_USER')) },
      Referral: allowFields(),
      School: allowFields(),
    }),
  );
}

async function startSubgraph(name: ServiceName, sdl: string, schema: ReturnType<typeof directorySchema>): Promise<TestSubgraph> {
  const seen: Seen[] = [];
  const apollo = new ApolloServer<RequestContext>({
    schema,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  const server: Server = createServer((req, res) => {
    if (req.url === '/readyz') {
      res.end('{"status":"ready"}');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const headers = new HeaderMap();
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
      const text = Buffer.concat(chunks).toString('utf8');
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'POST', headers, search: new URL(req.url ?? '/', 'http://x').search, body: text ? JSON.parse(text) : undefined },
        context: async () => {
          const context = await contextFromRequest(req.headers, name);
          const token = bearerToken(req.headers);
          seen.push({ context, token: token ? decodeJwt(token) : {}, traceHeader: req.headers['x-trace-id'] as string | undefined, traceparent: req.headers.traceparent as string | undefined });
          return context;
        },
      });
      res.statusCode = response.status ?? 200;
      for (const [k, v] of response.headers) res.setHeader(k, v);
      res.end(response.body.kind === 'complete' ? response.body.string : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return {
    name,
    sdl,
    url,
    seen,
    async stop() {
      await apollo.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function startTestSubgraphs(): Promise<{ directory: TestSubgraph; referral: TestSubgraph; supergraphSdl: string }> {
  const directory = await startSubgraph('directory', DIRECTORY_SDL, directorySchema());
  const referral = await startSubgraph('referral', REFERRAL_SDL, referralSchema());
  const result = composeServices([directory, referral].map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
  if (result.errors) throw new GraphQLError(`Composition failed: ${result.errors.map((e) => e.message).join('; ')}`);
  return { directory, referral, supergraphSdl: result.supergraphSdl };
}
