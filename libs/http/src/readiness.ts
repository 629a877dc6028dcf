/** One dependency's state, as /readyz shows it. Extra fields (counts, states) are shown as they are. */
export interface ReadinessCheck {
  status: 'up' | 'down';
  /** Default true: the service cannot do its work without it (503). False: it can, degraded (200). */
  critical?: boolean;
  detail?: string;
  [more: string]: unknown;
}
export type Readiness = Record<string, ReadinessCheck>;

/** What /readyz answers: 'ready' (200), 'degraded' (200: usable, something non-critical is down), else 503. */
export interface ReadinessReport {
  status: 'ready' | 'degraded' | 'not ready' | 'starting' | 'stopping';
  service: string;
  checks?: Record<string, Omit<ReadinessCheck, 'critical'>>;
}

export function readinessReport(name: string, state: 'starting' | 'serving' | 'stopping', answer: boolean | Readiness): ReadinessReport {
  if (state !== 'serving') return { status: state, service: name };
  if (typeof answer === 'boolean') return { status: answer ? 'ready' : 'not ready', service: name };
  const checks = Object.fromEntries(Object.entries(answer).map(([k, { critical: _critical, ...shown }]) => [k, shown]));
  const down = Object.values(answer).filter((c) => c.status !== 'up');
  // Nothing up at all (say, a gateway whose every subgraph is down) is not ready either.
  const allDown = down.length > 0 && down.length === Object.keys(answer).length;
  const status = allDown || down.some((c) => c.critical !== false) ? 'not ready' : down.length > 0 ? 'degraded' : 'ready';
  return { status, service: name, checks };
}
