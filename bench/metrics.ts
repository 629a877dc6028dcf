import { SERVICE_NAMES, ServiceName } from '@ap/config';
import { metricsUrl } from './lib';

/** Sums a counter's samples (over all labels, or those matching `labels`) in a Prometheus text page. */
export function sumCounter(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{([^}]*)\})?\s+([\d.eE+-]+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) total += Number(m[4]);
  }
  return total;
}

export async function scrape(name: ServiceName): Promise<string> {
  const res = await fetch(metricsUrl(name));
  if (!res.ok) throw new Error(`${metricsUrl(name)} answered ${res.status}`);
  return res.text();
}

/** GraphQL requests each subgraph has answered so far. */
export async function subgraphRequests(): Promise<Record<ServiceName, number>> {
  const out = {} as Record<ServiceName, number>;
  for (const name of SERVICE_NAMES) out[name] = sumCounter(await scrape(name), 'http_requests_total', { route: 'graphql' });
  return out;
}
