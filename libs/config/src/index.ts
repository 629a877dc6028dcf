import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The five subgraphs. The name is also the subgraph's name in the supergraph, the service's folder
 * under services/, its Kafka topic, its log name and the internal-token audience; its database and
 * role are the name with '_' for '-', and its settings are prefixed with settingPrefix(name).
 */
export const SERVICE_NAMES = ['directory', 'referral', 'placement', 'safeguarding-audit', 'outcomes'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

const STACK_ENV = join(__dirname, '..', '..', '..', 'infra', 'stack.env');

/** Parses KEY=value lines (the format docker compose's env_file and `source` both read). */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

let defaults: Record<string, string> | undefined;
function stackDefaults(): Record<string, string> {
  defaults ??= parseEnvFile(readFileSync(STACK_ENV, 'utf8'));
  return defaults;
}

export class ConfigError extends Error {}

/** A setting from the environment, else from infra/stack.env, else the fallback; never silently empty. */
export function setting(name: string, fallback?: string): string {
  const value = process.env[name] ?? stackDefaults()[name] ?? fallback;
  if (value === undefined || value === '') {
    throw new ConfigError(`Setting ${name} is not set: define it in the environment or infra/stack.env`);
  }
  return value;
}

export function intSetting(name: string, fallback?: number): number {
  const raw = setting(name, fallback === undefined ? undefined : String(fallback));
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new ConfigError(`Setting ${name} must be a whole number, not "${raw}"`);
  return n;
}

/** The prefix of a service's settings, e.g. SAFEGUARDING_AUDIT for SAFEGUARDING_AUDIT_PORT. */
export const settingPrefix = (name: ServiceName): string => name.toUpperCase().replace(/-/g, '_');

export interface ServiceConfig {
  name: ServiceName;
  port: number;
  databaseUrl: string;
  /** Where the gateway reaches this subgraph. */
  url: string;
  /** The port of its /metrics (on BIND_HOST), apart from the GraphQL port. */
  metricsPort: number;
}

export function serviceConfig(name: ServiceName): ServiceConfig {
  const p = settingPrefix(name);
  return {
    name,
    port: intSetting(`${p}_PORT`),
    databaseUrl: setting(`${p}_DATABASE_URL`),
    url: setting(`${p}_URL`),
    metricsPort: intSetting(`${p}_METRICS_PORT`),
  };
}

export function kafkaBrokers(): string[] {
  return setting('KAFKA_BROKERS').split(',').map((b) => b.trim()).filter(Boolean);
}

/**
 * Topics are prefixed by a namespace so that test runs sharing one broker never see each
 * other's events. Production leaves it empty.
 */
export function kafkaNamespace(): string {
  return process.env.KAFKA_NAMESPACE ?? '';
}
