import { spawn, ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { settingPrefix, type ServiceName } from '@ap/config';

const ROOT = join(__dirname, '..', '..', '..');

/** A drill says what it checked, on its own lines, whatever jest does with console output. */
export function say(drill: string, line: string): void {
  process.stdout.write(`[fault drill: ${drill}] ${line}\n`);
}

export const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

const ENTRY: Record<ServiceName, string> = {
  directory: 'services/directory/src/main.ts',
  referral: 'services/referral/src/main.ts',
  placement: 'services/placement/src/main.ts',
  'safeguarding-audit': 'services/safeguarding-audit/src/main.ts',
  outcomes: 'services/outcomes/src/main.ts',
};

export interface ServiceProcess {
  pid: number;
  url: string;
  graphqlUrl: string;
  /** SIGKILL: no shutdown, no offset commit, no goodbye to the consumer group. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs a service as its own process, as `npm start` does (node --import tsx src/main.ts), so a
 * drill can kill it with SIGKILL. Resolves once /healthz answers with that process's pid.
 */
export async function spawnService(
  name: ServiceName,
  opts: { databaseUrl: string; port: number; brokers: string[]; namespace: string },
): Promise<ServiceProcess> {
  const prefix = settingPrefix(name);
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', ENTRY[name]], {
    cwd: ROOT,
    env: {
      ...process.env,
      [`${prefix}_DATABASE_URL`]: opts.databaseUrl,
      [`${prefix}_PORT`]: String(opts.port),
      // Any free port: the configured metrics port may be taken by a running `npm start`.
      [`${prefix}_METRICS_PORT`]: '0',
      KAFKA_BROKERS: opts.brokers.join(','),
      KAFKA_NAMESPACE: opts.namespace,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${stderr}`);
    const health = await fetch(`${url}/healthz`).then((r) => r.json() as Promise<{ pid?: number }>, () => undefined);
    if (health?.pid === child.pid) break;
    if (health) throw new Error(`port ${opts.port} is answered by pid ${health.pid}, not by the ${name} just started (${child.pid})`);
    if (Date.now() > deadline) throw new Error(`${name} did not answer within 120 s: ${stderr}`);
    await sleep(250);
  }
  return {
    pid: child.pid!,
    url,
    graphqlUrl: `${url}/graphql`,
    kill9: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
