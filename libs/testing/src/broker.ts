import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const INFRA = join(__dirname, '..', '..', '..', 'infra');
const HOST = '127.0.0.1';
// The script itself waits up to 120 s for readiness and 60 s for shutdown.
const SCRIPT_TIMEOUT_MS = 180_000;

export interface PrivateBroker {
  brokers: string[];
  /** Stops the broker, keeping its data (topics, offsets) for start(). */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  destroy(): Promise<void>;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

/** A broker port whose neighbour (the controller port) is free too. */
async function freePortPair(): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const port = 19092 + 2 * Math.floor(Math.random() * 4000);
    if ((await portIsFree(port)) && (await portIsFree(port + 1))) return port;
  }
  throw new Error('no free port pair for a private Kafka broker');
}

/**
 * A second, private Kafka broker (same script as the shared one, its own data and ports), for
 * tests that must stop and restart a broker without disturbing anybody using the shared one.
 */
export async function startPrivateBroker(opts: { port?: number } = {}): Promise<PrivateBroker> {
  const port = opts.port ?? (await freePortPair());
  const root = await mkdtemp(join(tmpdir(), 'kafka-private-'));
  const script = join(INFRA, 'kafka', 'kafka.sh');
  const env = {
    ...process.env,
    KAFKA_DATA_DIR: join(root, 'data'),
    KAFKA_BROKERS: `${HOST}:${port}`,
    KAFKA_CONTROLLER_PORT: String(port + 1),
    // These are set here, not defaulted from stack.env, whatever a parent script exported.
    AP_DEFAULTED_SETTINGS: '',
  };
  const run = (command: 'start' | 'stop') =>
    new Promise<void>((resolve, reject) => {
      execFile('bash', [script, command], { env, timeout: SCRIPT_TIMEOUT_MS }, (error, stdout, stderr) => {
        if (error) reject(new Error(`kafka.sh ${command} on port ${port} failed: ${error.message}\n${stdout}${stderr}`));
        else resolve();
      });
    });

  try {
    await run('start');
  } catch (error) {
    await run('stop').catch(() => undefined);
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  return {
    brokers: [`${HOST}:${port}`],
    stop: () => run('stop'),
    start: () => run('start'),
    destroy: async () => {
      await run('stop');
      await rm(root, { recursive: true, force: true });
    },
  };
}
