import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { serviceConfig, ServiceName, setting } from '@ap/config';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: setting('PGADMIN_URL') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A throwaway database for one test file, owned by the service's own role (so tests run with
 * the same privileges as the service) and reachable by no other role.
 */
export async function createTestDatabase(service: ServiceName): Promise<TestDatabase> {
  const base = new URL(serviceConfig(service).databaseUrl);
  const role = decodeURIComponent(base.username);
  // Named after the service's own database (e.g. safeguarding_audit_t_…), so a stray one is easy to place.
  const name = `${decodeURIComponent(base.pathname.slice(1))}_t_${randomBytes(5).toString('hex')}`;
  await admin(async (c) => {
    await c.query(`CREATE DATABASE "${name}" OWNER "${role}"`);
    await c.query(`REVOKE ALL ON DATABASE "${name}" FROM PUBLIC`);
    await c.query(`GRANT CONNECT, TEMPORARY ON DATABASE "${name}" TO "${role}"`);
  });
  base.pathname = `/${name}`;
  return {
    url: base.toString(),
    name,
    drop: () => admin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))),
  };
}
