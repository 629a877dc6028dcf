/**
 * Drill: a subgraph stopped while clients read through the gateway (issue 6, item 5). During the
 * outage every answer keeps the other subgraphs' data, with the stopped one's fields null and
 * SUBGRAPH_UNAVAILABLE naming it; never a 5xx or INTERNAL_SERVER_ERROR. Once the subgraph is back
 * on its port, answers are whole again without restarting the gateway. Prints what it checked.
 */
import type { ServiceName } from '@ap/config';
import { eventually, graphql, GraphQLResponse } from '@ap/testing';
import { ACCEPT, cast, ok, referPupil } from '../e2e/flow';
import { startStack, Stack } from '../e2e/stack';

jest.setTimeout(600_000);

let stack: Stack;
let url: string;
let people: Awaited<ReturnType<typeof cast>>;

interface Read {
  name: string;
  /** The subgraph owning the root field: with it down the root is null, as expected. */
  root: ServiceName;
  token: () => string;
  query: string;
  variables: () => Record<string, unknown>;
  /** Data that must be there whichever other subgraph is down. */
  owned(data: any): unknown;
}

let ids: { pupilId: string; referralId: string; placementId: string; providerId: string; auditId: string; providerToken: string };

const READS: Read[] = [
  {
    name: 'pupil journey',
    root: 'referral',
    token: () => people.school,
    query: 'query($id: ID!) { pupil(id: $id) { upn referrals { status provider { name } } placements { status provider { name compliance } } } }',
    variables: () => ({ id: ids.pupilId }),
    owned: (d) => d?.pupil?.upn,
  },
  {
    name: 'directory with audits',
    root: 'directory',
    token: () => people.laAdmin,
    query: '{ providers { id name audits { rating } } }',
    variables: () => ({}),
    owned: (d) => d?.providers?.length,
  },
  {
    name: 'provider outcomes',
    root: 'outcomes',
    token: () => people.analyst,
    query: 'query($id: ID!) { providerOutcomes(providerId: $id) { placementsStarted provider { name } } }',
    variables: () => ({ id: ids.providerId }),
    owned: (d) => d?.providerOutcomes?.placementsStarted !== undefined,
  },
  {
    name: 'referral',
    root: 'referral',
    token: () => people.school,
    query: 'query($id: ID!) { referral(id: $id) { status pupil { upn placements { status } } provider { name } } }',
    variables: () => ({ id: ids.referralId }),
    owned: (d) => d?.referral?.status,
  },
  {
    name: 'placement',
    root: 'placement',
    token: () => ids.providerToken,
    query: 'query($id: ID!) { placement(id: $id) { status pupil { upn } provider { name } } }',
    variables: () => ({ id: ids.placementId }),
    owned: (d) => d?.placement?.status,
  },
  {
    name: 'audit',
    root: 'safeguarding-audit',
    token: () => people.qa,
    query: 'query($id: ID!) { audit(id: $id) { rating provider { name audits { rating } } } }',
    variables: () => ({ id: ids.auditId }),
    owned: (d) => d?.audit?.rating,
  },
];

beforeAll(async () => {
  stack = await startStack();
  url = stack.gateway.url;
  people = await cast();
  const story = await referPupil(url, people);
  await ok(url, story.providerToken, ACCEPT, { id: story.referralId });
  const placementId = await eventually(async () => {
    const data = await ok(url, people.school, 'query($id: ID!) { pupil(id: $id) { placements { id } } }', { id: story.pupilId });
    expect(data.pupil.placements).toHaveLength(1);
    return data.pupil.placements[0].id as string;
  });
  const audit = await ok(url, people.qa, 'mutation($input: CompleteAuditInput!) { completeAudit(input: $input) { id } }', {
    input: { providerId: story.providerId, rating: 'GREEN', summary: 'Drill' },
  });
  ids = { pupilId: story.pupilId, referralId: story.referralId, placementId, providerId: story.providerId, auditId: audit.completeAudit.id, providerToken: story.providerToken };
  // Every read answers whole before the drill starts.
  for (const read of READS) await eventually(async () => expect((await graphql(url, read.query, read.variables(), { token: read.token() })).errors).toBeUndefined());
});
afterAll(() => stack?.stop());

type Outcome = 'whole' | 'partial' | 'root down';

function judge(read: Read, res: GraphQLResponse, down: ServiceName | undefined): { outcome: Outcome; problem?: string } {
  if (res.status >= 500) return { outcome: 'partial', problem: `HTTP ${res.status}` };
  const codes = (res.errors ?? []).map((e) => e.extensions?.code);
  if (!codes.length) return { outcome: 'whole' };
  if (codes.some((c) => c !== 'SUBGRAPH_UNAVAILABLE')) return { outcome: 'partial', problem: `codes ${codes.join(',')}` };
  const services = new Set((res.errors ?? []).map((e) => e.extensions?.service));
  if (down === undefined) return { outcome: 'partial', problem: `SUBGRAPH_UNAVAILABLE for ${[...services]} with nothing down` };
  if (services.size !== 1 || !services.has(down)) return { outcome: 'partial', problem: `named ${[...services]}, not ${down}` };
  if (read.root === down) return { outcome: 'root down' };
  if (!read.owned(res.data)) return { outcome: 'partial', problem: `lost the ${read.root} data: ${JSON.stringify(res.data)}` };
  return { outcome: 'partial' };
}

describe('a subgraph stopped during reads', () => {
  it.each<ServiceName>(['directory', 'safeguarding-audit', 'placement', 'referral'])('keeps answering with %s stopped, and recovers without a gateway restart', async (name) => {
    const tally: Record<string, Record<Outcome, number>> = {};
    const problems: string[] = [];
    let down: ServiceName | undefined;
    let stopping = false;
    const round = async () => {
      for (const read of READS) {
        const res = await graphql(url, read.query, read.variables(), { token: read.token() });
        // While stopping, either answer is right: the subgraph may still have answered.
        const verdict = judge(read, res, down ?? (stopping ? name : undefined));
        const t = (tally[read.name] ??= { whole: 0, partial: 0, 'root down': 0 });
        t[verdict.outcome]++;
        if (verdict.problem) problems.push(`${read.name}: ${verdict.problem}`);
      }
    };
    for (let i = 0; i < 3; i++) await round();
    // Stop it while reads are in flight.
    stopping = true;
    const reading = (async () => {
      for (let i = 0; i < 3; i++) await round();
    })();
    await stack.stopService(name);
    down = name;
    await reading;
    for (let i = 0; i < 5; i++) await round();
    // The gateway reuses a probe's answer for a second (subgraphReadiness), so an answer from before the stop may still stand.
    const { readyDuring, readyBody } = await eventually(async () => {
      const readyDuring = await fetch(url.replace(/\/graphql$/, '/readyz'));
      const readyBody = (await readyDuring.json()) as { status: string; checks: Record<string, { status: string; detail?: string }> };
      expect(readyBody.checks[name].status).toBe('down');
      return { readyDuring, readyBody };
    });

    await stack.restartService(name);
    down = undefined;
    stopping = false;
    // Back on its port: whole answers again, with no restart of the gateway.
    const recovered = Date.now();
    for (const read of READS) {
      await eventually(async () => expect((await graphql(url, read.query, read.variables(), { token: read.token() })).errors).toBeUndefined(), { timeoutMs: 30_000, intervalMs: 200 });
    }
    const recoveryMs = Date.now() - recovered;
    for (let i = 0; i < 2; i++) await round();

    console.log(
      [
        `${name} stopped during reads: /readyz said ${readyDuring.status} ${readyBody.status} (${name}: ${readyBody.checks[name].status}); whole again ${recoveryMs} ms after restart on the same port`,
        ...Object.entries(tally).map(([read, t]) => `  ${read.padEnd(22)} whole ${t.whole}, partial ${t.partial}, root down ${t['root down']}`),
        ...problems.map((p) => `  PROBLEM ${p}`),
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(readyDuring.status).toBe(200);
    expect(readyBody).toMatchObject({ status: 'degraded', checks: { [name]: { status: 'down', detail: 'unavailable' } } });
    // The outage showed: some answers were partial.
    expect(Object.values(tally).reduce((n, t) => n + t.partial + t['root down'], 0)).toBeGreaterThan(0);
  });
});
