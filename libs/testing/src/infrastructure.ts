import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { Client } from 'pg';
import { kafkaBrokers, serviceConfig, SERVICE_NAMES, ServiceName, setting } from '@ap/config';

/**
 * Where the tests' PostgreSQL and Kafka come from: containers started with testcontainers when a
 * Docker engine answers, else the local PostgreSQL and the broker of infra/kafka (what CI runs).
 * Either way the tests get the same settings (PGADMIN_URL, <SERVICE>_DATABASE_URL, KAFKA_BROKERS)
 * and never know which they got.
 */
export type InfrastructureKind = 'containers' | 'local';

export interface InfrastructureChoice {
  kind: InfrastructureKind;
  /** Why, for the line printed at the start of `npm test`. */
  reason: string;
  /** The engine's address when kind is 'containers' (DOCKER_HOST's form). */
  docker?: string;
}

export interface TestConnections {
  kind: InfrastructureKind;
  postgresAdminUrl: string;
  databaseUrls: Record<ServiceName, string>;
  kafkaBrokers: string[];
  /** The settings, as environment variables, for processes started after this (jest's workers). */
  env: Record<string, string>;
  /** Stops the containers; nothing for the local services. */
  stop(): Promise<void>;
}

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';
/** PostgreSQL 15, as the design and the local cluster. */
export const POSTGRES_IMAGE = 'postgres:15-alpine';
export const KAFKA_IMAGE = 'confluentinc/cp-kafka:7.9.1';

/** The Docker engine's address: DOCKER_HOST, else the default socket when it exists. */
export function dockerEndpoint(env: NodeJS.ProcessEnv = process.env, exists: (path: string) => boolean = existsSync): string | undefined {
  if (env.DOCKER_HOST) return env.DOCKER_HOST;
  return exists(DEFAULT_DOCKER_SOCKET) ? `unix://${DEFAULT_DOCKER_SOCKET}` : undefined;
}

/** Whether a Docker engine answers its ping (GET /_ping: 200 "OK") at a unix:// or tcp:// address, within timeoutMs. */
export function dockerAnswers(endpoint: string, timeoutMs = 2000): Promise<boolean> {
  let target: { socketPath: string } | { host: string; port: number };
  if (endpoint.startsWith('unix://')) target = { socketPath: endpoint.slice('unix://'.length) };
  else if (/^(tcp|http):\/\//.test(endpoint)) {
    const url = new URL(endpoint.replace(/^tcp:/, 'http:'));
    target = { host: url.hostname, port: Number(url.port || 2375) };
  } else return Promise.resolve(false); // ssh://, npipe://: not probed here
  return new Promise((resolve) => {
    const req = request({ ...target, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(res.statusCode === 200 && body.trim() === 'OK'));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/**
 * The choice. AP_TEST_INFRA=local or =containers forces it (containers without an engine is an
 * error, not a quiet fallback); otherwise containers exactly when an engine answers.
 */
export async function chooseInfrastructure(
  env: NodeJS.ProcessEnv = process.env,
  probe: (endpoint: string) => Promise<boolean> = dockerAnswers,
  exists: (path: string) => boolean = existsSync,
): Promise<InfrastructureChoice> {
  const forced = env.AP_TEST_INFRA;
  if (forced && forced !== 'local' && forced !== 'containers') throw new Error(`AP_TEST_INFRA is "${forced}": use "local" or "containers" (or leave it unset to choose by Docker).`);
  if (forced === 'local') return { kind: 'local', reason: 'AP_TEST_INFRA=local' };
  const endpoint = dockerEndpoint(env, exists);
  if (!endpoint) {
    if (forced === 'containers') throw new Error(`AP_TEST_INFRA=containers, but there is no Docker engine: DOCKER_HOST is unset and ${DEFAULT_DOCKER_SOCKET} does not exist.`);
    return { kind: 'local', reason: `no Docker engine (DOCKER_HOST unset, no ${DEFAULT_DOCKER_SOCKET})` };
  }
  if (await probe(endpoint)) return { kind: 'containers', reason: `a Docker engine answers at ${endpoint}`, docker: endpoint };
  if (forced === 'containers') throw new Error(`AP_TEST_INFRA=containers, but the Docker engine at ${endpoint} does not answer.`);
  return { kind: 'local', reason: `the Docker engine at ${endpoint} does not answer` };
}

/** One line for the start of `npm test`. */
export function describeChoice(choice: InfrastructureChoice, connections?: Pick<TestConnections, 'postgresAdminUrl' | 'kafkaBrokers'>): string {
  const where = connections ? ` (PostgreSQL ${new URL(connections.postgresAdminUrl).host}, Kafka ${connections.kafkaBrokers.join(',')})` : '';
  const what = choice.kind === 'containers' ? 'PostgreSQL 15 and Kafka in containers (testcontainers)' : 'the local PostgreSQL and the infra/kafka broker';
  return `test infrastructure: ${what}${where}: ${choice.reason}`;
}

function localConnections(): TestConnections {
  const databaseUrls = Object.fromEntries(SERVICE_NAMES.map((n) => [n, serviceConfig(n).databaseUrl])) as Record<ServiceName, string>;
  const postgresAdminUrl = setting('PGADMIN_URL');
  const brokers = kafkaBrokers();
  return { kind: 'local', postgresAdminUrl, databaseUrls, kafkaBrokers: brokers, env: settingsEnv(postgresAdminUrl, databaseUrls, brokers), stop: async () => undefined };
}

function settingsEnv(postgresAdminUrl: string, databaseUrls: Record<ServiceName, string>, brokers: string[]): Record<string, string> {
  const env: Record<string, string> = { PGADMIN_URL: postgresAdminUrl, KAFKA_BROKERS: brokers.join(',') };
  for (const name of SERVICE_NAMES) env[`${name.toUpperCase().replace(/-/g, '_')}_DATABASE_URL`] = databaseUrls[name];
  return env;
}

/**
 * Containers: PostgreSQL 15 with each service's role and database made as infra/postgres/setup.sh
 * makes them locally, and a single-node KRaft Kafka. Not run on this project's CI (no Docker there).
 */
async function containerConnections(): Promise<TestConnections> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const [postgres, kafka] = await Promise.all([new PostgreSqlContainer(POSTGRES_IMAGE).start(), new KafkaContainer(KAFKA_IMAGE).withKraft().start()]);
  try {
    const host = postgres.getHost();
    const port = postgres.getMappedPort(5432);
    const admin = new URL(postgres.getConnectionUri());
    const databaseUrls = {} as Record<ServiceName, string>;
    const client = new Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      for (const name of SERVICE_NAMES) {
        // The same role, password and database name as locally, on the container's address.
        const url = new URL(serviceConfig(name).databaseUrl);
        const role = decodeURIComponent(url.username);
        const password = decodeURIComponent(url.password);
        const db = decodeURIComponent(url.pathname.slice(1));
        await client.query(`CREATE ROLE "${role}" LOGIN CREATEDB PASSWORD '${password.replace(/'/g, "''")}'`);
        await client.query(`CREATE DATABASE "${db}" OWNER "${role}"`);
        await client.query(`REVOKE ALL ON DATABASE "${db}" FROM PUBLIC`);
        url.hostname = host;
        url.port = String(port);
        databaseUrls[name] = url.toString();
      }
    } finally {
      await client.end();
    }
    const brokers = [`${kafka.getHost()}:${kafka.getMappedPort(9093)}`];
    return {
      kind: 'containers',
      postgresAdminUrl: admin.toString(),
      databaseUrls,
      kafkaBrokers: brokers,
      env: settingsEnv(admin.toString(), databaseUrls, brokers),
      async stop() {
        await Promise.all([postgres.stop(), kafka.stop()]);
      },
    };
  } catch (e) {
    await Promise.all([postgres.stop().catch(() => undefined), kafka.stop().catch(() => undefined)]);
    throw e;
  }
}

/** The one function that hands the tests their connection settings, whichever infrastructure was chosen. */
export async function testConnections(choice?: InfrastructureChoice): Promise<TestConnections> {
  const chosen = choice ?? (await chooseInfrastructure());
  return chosen.kind === 'containers' ? containerConnections() : localConnections();
}
