import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { kafkaBrokers } from '@ap/config';
import type { RunningService } from '@ap/subgraph';
import { createTestDatabase, eventually, startTestService, TestDatabase, useKafkaNamespace } from '@ap/testing';
import { directoryService } from '@ap/directory';
import { referralService } from '@ap/referral';
import { createGateway, RunningGateway } from '../../src';
import { ACCEPT, cast, ok, referPupil } from '../e2e/flow';
import { say, ServiceProcess, seconds, spawnService } from './drill';
import { Client } from 'pg';

const DRILL = 'consumer killed mid-stream';
const STORIES = 8;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/**
 * The placement service runs as its own process, consuming referral.accepted. It is killed with
 * SIGKILL while accepts stream in (no shutdown, no offset commit), more accepts arrive while it
 * is dead, and a new process takes over its consumer group: every accepted referral must become
 * exactly one placement, with exactly one placement.planned event.
 */
describe('a consumer killed mid-stream', () => {
  let namespace: string;
  let services: RunningService[] = [];
  let placementDb: TestDatabase;
  let placement: ServiceProcess | undefined;
  let gateway: RunningGateway;
  let port: number;

  const startPlacement = () => spawnService('placement', { databaseUrl: placementDb.url, port, brokers: kafkaBrokers(), namespace });
  const query = async <T = any>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const client = new Client({ connectionString: placementDb.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows;
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    namespace = useKafkaNamespace();
    services = [await startTestService(directoryService as never), await startTestService(referralService as never)];
    placementDb = await createTestDatabase('placement');
    port = await freePort();
    placement = await startPlacement();
    gateway = await createGateway({
      supergraphSdl: readFileSync(join(__dirname, '..', '..', '..', 'schemas', 'supergraph.graphql'), 'utf8'),
      port: 0,
      subgraphUrls: { directory: services[0].graphqlUrl, referral: services[1].graphqlUrl, placement: placement.graphqlUrl },
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await placement?.stop();
    for (const s of services) await s.stop();
    await placementDb?.drop();
  });

  it('loses nothing and applies nothing twice', async () => {
    const url = gateway.url;
    const people = await cast();
    const stories: Awaited<ReturnType<typeof referPupil>>[] = [];
    for (let i = 0; i < STORIES; i++) stories.push(await referPupil(url, people));
    const referralIds = stories.map((s) => s.referralId);
    const placementsNow = async () =>
      (await query<{ n: number }>(`SELECT count(*)::int AS n FROM placement WHERE referral_id = ANY($1::uuid[])`, [referralIds]))[0].n;

    // Accepts stream in; the consumer is killed without warning as soon as it is at work on them.
    let acceptedSoFar = 0;
    const accepting = (async () => {
      for (const story of stories) {
        await ok(url, story.providerToken, ACCEPT, { id: story.referralId });
        acceptedSoFar += 1;
        await sleep(150);
      }
    })();
    await eventually(async () => expect(await placementsNow()).toBeGreaterThan(0), { timeoutMs: 60_000, intervalMs: 20 });
    const killedPid = placement!.pid;
    await placement!.kill9();
    const [atKill, acceptedAtKill] = [await placementsNow(), acceptedSoFar];
    say(DRILL, `placement (pid ${killedPid}) killed with SIGKILL mid-stream: ${acceptedAtKill} of ${STORIES} accepted, ${atKill} planned`);
    await accepting;
    expect(await placementsNow()).toBe(atKill);
    say(DRILL, `the other ${STORIES - acceptedAtKill} referrals accepted while no placement consumer ran`);
    await sleep(500);

    const restarted = Date.now();
    placement = await startPlacement();
    await eventually(async () => expect(await placementsNow()).toBe(STORIES), { timeoutMs: 120_000, intervalMs: 500 });
    say(DRILL, `new placement process (pid ${placement.pid}) caught up in ${seconds(restarted)}: ${STORIES} placements`);

    const perReferral = await query<{ referral_id: string; n: number }>(
      `SELECT referral_id, count(*)::int AS n FROM placement WHERE referral_id = ANY($1::uuid[]) GROUP BY referral_id`,
      [referralIds],
    );
    expect(perReferral).toHaveLength(STORIES);
    expect(perReferral.every((r) => r.n === 1)).toBe(true);
    const [{ planned }] = await query<{ planned: number }>(
      `SELECT count(*)::int AS planned FROM outbox WHERE type = 'placement.planned' AND envelope->'payload'->>'referralId' = ANY($1::text[])`,
      [referralIds],
    );
    // The placement service consumes other producers' events too (providers, schools, compliance): count these referrals' accepts.
    const accepted = (
      await services[1].dataSource.query(`SELECT id FROM outbox WHERE type = 'referral.accepted' AND envelope->'payload'->>'referralId' = ANY($1::text[])`, [referralIds])
    ).map((r: { id: string }) => r.id);
    expect(accepted).toHaveLength(STORIES);
    const [{ processed }] = await query<{ processed: number }>(
      `SELECT count(*)::int AS processed FROM processed_events WHERE consumer = 'placement' AND event_id = ANY($1::uuid[])`,
      [accepted],
    );
    expect({ planned, processed }).toEqual({ planned: STORIES, processed: STORIES });
    say(DRILL, `${STORIES} referral.accepted → ${STORIES} placements (one each), ${planned} placement.planned, ${processed} processed_events`);
  });
});
