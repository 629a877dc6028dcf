import { ServiceName } from '@ap/config';
import { Readiness } from '@ap/http';

/** How long one readiness probe of a subgraph may take, and how long its answer is reused. */
const PROBE_TIMEOUT_MS = 1000;
const PROBE_REUSE_MS = 1000;

/**
 * The gateway's readiness: each subgraph's /readyz. With some down it is "degraded" but still
 * ready (200): it answers every query, with the missing subgraphs' fields null and
 * SUBGRAPH_UNAVAILABLE errors, and every gateway instance would see the same subgraphs down, so
 * taking it out of a load balancer would only turn partial answers into none. With none up it
 * is not ready (503). Probes run at most once a second, however often /readyz is asked.
 */
export function subgraphReadiness(urls: ReadonlyMap<ServiceName, string>): () => Promise<Readiness> {
  let last: { at: number; answer: Promise<Readiness> } | undefined;
  const probe = async (url: string): Promise<boolean> => {
    try {
      const res = await fetch(url.replace(/\/graphql$/, '/readyz'), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      await res.arrayBuffer().catch(() => undefined);
      return res.ok;
    } catch {
      return false;
    }
  };
  const check = async (): Promise<Readiness> => {
    const names = [...urls.keys()];
    const answers = await Promise.all(names.map((n) => probe(urls.get(n)!)));
    // No single subgraph is critical; readinessReport calls the gateway not ready only when all are down.
    return Object.fromEntries(names.map((n, i) => [n, answers[i] ? { status: 'up' as const, critical: false } : { status: 'down' as const, critical: false, detail: 'unavailable' }]));
  };
  return () => {
    if (!last || Date.now() - last.at > PROBE_REUSE_MS) last = { at: Date.now(), answer: check() };
    return last.answer;
  };
}
