import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { intSetting, parseEnvFile, SERVICE_NAMES, serviceConfig, settingPrefix } from '../src';

/**
 * docker-compose.yml cannot run here (no Docker engine), so this keeps it honest: it must read
 * the same settings as the machine's stack and differ only in host names.
 */
const root = join(__dirname, '..', '..', '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true });
const stack = parseEnvFile(readFileSync(join(root, 'infra', 'stack.env'), 'utf8'));

describe('docker-compose.yml', () => {
  it.each([...SERVICE_NAMES, 'gateway' as const])('runs %s on its configured port, reading infra/stack.env', (name) => {
    const svc = compose.services[name];
    expect(svc).toBeDefined();
    const port = name === 'gateway' ? intSetting('GATEWAY_PORT') : serviceConfig(name).port;
    expect(svc.ports).toEqual([`${port}:${port}`]);
    expect(svc.env_file).toBe('infra/stack.env');
    expect(svc.environment.BIND_HOST).toBe('0.0.0.0');
  });

  it('gives every process its own metrics port, apart from the GraphQL ports, and publishes none of them', () => {
    const graphqlPorts = [intSetting('GATEWAY_PORT'), ...SERVICE_NAMES.map((n) => serviceConfig(n).port)];
    const metricsPorts = [intSetting('GATEWAY_METRICS_PORT'), ...SERVICE_NAMES.map((n) => serviceConfig(n).metricsPort)];
    expect(new Set([...graphqlPorts, ...metricsPorts]).size).toBe(12);
    for (const name of [...SERVICE_NAMES, 'gateway']) {
      const published = (compose.services[name].ports as string[]).map((p) => Number(p.split(':')[0]));
      for (const port of metricsPorts) expect(published).not.toContain(port);
    }
  });

  it('points each subgraph at its own database and the gateway at each subgraph, as the stack does but by host name', () => {
    const env = compose.services.gateway.environment;
    for (const name of SERVICE_NAMES) {
      const local = new URL(serviceConfig(name).databaseUrl);
      const docker = new URL(env[`${settingPrefix(name)}_DATABASE_URL`]);
      expect([docker.username, docker.password, docker.pathname, docker.port]).toEqual([local.username, local.password, local.pathname, local.port]);
      const url = new URL(env[`${settingPrefix(name)}_URL`]);
      expect(url.hostname).toBe(name);
      expect(url.port).toBe(String(serviceConfig(name).port));
    }
    expect(env.KAFKA_BROKERS).toBe(`kafka:${stack.KAFKA_BROKERS.split(':')[1]}`);
  });

  it('sets the single-node Kafka internal topics to replication factor 1', () => {
    const env = compose.services.kafka.environment;
    expect(env.KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR).toBe(1);
    expect(env.KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR).toBe(1);
    expect(env.KAFKA_AUTO_CREATE_TOPICS_ENABLE).toBe('false');
  });
});
