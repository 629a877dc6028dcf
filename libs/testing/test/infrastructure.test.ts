import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaBrokers, serviceConfig, setting } from '@ap/config';
import { chooseInfrastructure, DEFAULT_DOCKER_SOCKET, describeChoice, dockerAnswers, dockerEndpoint, testConnections } from '../src/infrastructure';

/** A stand-in for the Docker engine's API: GET /_ping answers as told. */
function fakeEngine(answer: { status: number; body: string }): Server {
  return createServer((req, res) => {
    if (req.url === '/_ping') {
      res.writeHead(answer.status);
      res.end(answer.body);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
}
const listen = (server: Server, where: string | number) => new Promise<void>((resolve) => server.listen(where as never, () => resolve()));
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'docker-fake-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const nothingExists = () => false;

describe('which test infrastructure', () => {
  it('takes DOCKER_HOST, else the default socket when it exists, else none', () => {
    expect(dockerEndpoint({ DOCKER_HOST: 'tcp://10.0.0.5:2375' }, () => true)).toBe('tcp://10.0.0.5:2375');
    expect(dockerEndpoint({}, (p) => p === DEFAULT_DOCKER_SOCKET)).toBe(`unix://${DEFAULT_DOCKER_SOCKET}`);
    expect(dockerEndpoint({}, nothingExists)).toBeUndefined();
  });

  it('chooses the local services when there is no Docker engine, without probing', async () => {
    const probe = jest.fn(async () => true);
    const choice = await chooseInfrastructure({}, probe, nothingExists);
    expect(choice).toEqual({ kind: 'local', reason: `no Docker engine (DOCKER_HOST unset, no ${DEFAULT_DOCKER_SOCKET})` });
    expect(probe).not.toHaveBeenCalled();
    expect(describeChoice(choice)).toBe(`test infrastructure: the local PostgreSQL and the infra/kafka broker: no Docker engine (DOCKER_HOST unset, no ${DEFAULT_DOCKER_SOCKET})`);
  });

  it('chooses containers when an engine answers its ping on a unix socket', async () => {
    const socket = join(dir, 'docker.sock');
    const engine = fakeEngine({ status: 200, body: 'OK' });
    await listen(engine, socket);
    try {
      const choice = await chooseInfrastructure({ DOCKER_HOST: `unix://${socket}` });
      expect(choice).toEqual({ kind: 'containers', reason: `a Docker engine answers at unix://${socket}`, docker: `unix://${socket}` });
      expect(describeChoice(choice)).toContain('PostgreSQL 15 and Kafka in containers (testcontainers)');
    } finally {
      await close(engine);
    }
  });

  it('chooses containers when an engine answers over TCP, and the local services when it answers wrongly', async () => {
    const good = fakeEngine({ status: 200, body: 'OK' });
    const bad = fakeEngine({ status: 500, body: 'daemon error' });
    await listen(good, 0);
    await listen(bad, 0);
    try {
      const goodHost = `tcp://127.0.0.1:${(good.address() as AddressInfo).port}`;
      const badHost = `tcp://127.0.0.1:${(bad.address() as AddressInfo).port}`;
      expect((await chooseInfrastructure({ DOCKER_HOST: goodHost })).kind).toBe('containers');
      expect(await chooseInfrastructure({ DOCKER_HOST: badHost })).toEqual({ kind: 'local', reason: `the Docker engine at ${badHost} does not answer` });
    } finally {
      await close(good);
      await close(bad);
    }
  });

  it('chooses the local services when DOCKER_HOST names a socket nobody listens on', async () => {
    const socket = join(dir, 'nobody.sock');
    expect(await dockerAnswers(`unix://${socket}`)).toBe(false);
    expect((await chooseInfrastructure({ DOCKER_HOST: `unix://${socket}` })).kind).toBe('local');
  });

  it('obeys AP_TEST_INFRA, and refuses containers it cannot have rather than falling back quietly', async () => {
    const answers = async () => true;
    expect((await chooseInfrastructure({ AP_TEST_INFRA: 'local', DOCKER_HOST: 'tcp://127.0.0.1:1' }, answers)).kind).toBe('local');
    await expect(chooseInfrastructure({ AP_TEST_INFRA: 'containers' }, answers, nothingExists)).rejects.toThrow(/no Docker engine/);
    await expect(chooseInfrastructure({ AP_TEST_INFRA: 'containers', DOCKER_HOST: 'tcp://127.0.0.1:1' }, async () => false)).rejects.toThrow(/does not answer/);
    await expect(chooseInfrastructure({ AP_TEST_INFRA: 'docker' })).rejects.toThrow(/use "local" or "containers"/);
  });

  it('hands the local path the configured settings, the same ones every test reads', async () => {
    const connections = await testConnections({ kind: 'local', reason: 'test' });
    expect(connections.kind).toBe('local');
    expect(connections.postgresAdminUrl).toBe(setting('PGADMIN_URL'));
    expect(connections.kafkaBrokers).toEqual(kafkaBrokers());
    expect(connections.databaseUrls['safeguarding-audit']).toBe(serviceConfig('safeguarding-audit').databaseUrl);
    expect(connections.env).toMatchObject({
      PGADMIN_URL: setting('PGADMIN_URL'),
      KAFKA_BROKERS: kafkaBrokers().join(','),
      SAFEGUARDING_AUDIT_DATABASE_URL: serviceConfig('safeguarding-audit').databaseUrl,
      DIRECTORY_DATABASE_URL: serviceConfig('directory').databaseUrl,
    });
    await connections.stop();
  });
});
