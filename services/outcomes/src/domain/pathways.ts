/**
 * The pathway into AP for pupils with SEND, as a Sankey's edges: SEN status → referral reason →
 * placement type → end reason. A referral that never became a started placement ends at the
 * placement stage as DECLINED, WITHDRAWN or NOT_PLACED (yet); a placement still open ends as ONGOING.
 */
export interface PathwayCount {
  senStatus: string | null;
  reason: string;
  declined: boolean;
  withdrawn: boolean;
  /** Null when no placement of the referral has started. */
  placementType: string | null;
  placed: boolean;
  status: string | null;
  endReason: string | null;
  count: number;
}

export interface PathwayEdge {
  from: string;
  to: string;
  count: number;
}

export function pathwayStages(p: PathwayCount): string[] {
  const sen = `SEN_STATUS:${p.senStatus ?? 'UNKNOWN'}`;
  const reason = `REASON:${p.reason}`;
  if (!p.placed) return [sen, reason, `PLACEMENT:${p.declined ? 'DECLINED' : p.withdrawn ? 'WITHDRAWN' : 'NOT_PLACED'}`];
  const end = p.status === 'ENDED' ? (p.endReason ?? 'OTHER') : p.status === 'CANCELLED' ? 'CANCELLED' : 'ONGOING';
  return [sen, reason, `PLACEMENT:${p.placementType ?? 'UNKNOWN'}`, `END:${end}`];
}

/** The counts of each edge between consecutive stages, in a stable order. */
export function pathwayEdges(counts: readonly PathwayCount[]): PathwayEdge[] {
  const edges = new Map<string, PathwayEdge>();
  for (const c of counts) {
    const stages = pathwayStages(c);
    for (let i = 0; i + 1 < stages.length; i++) {
      const key = `${stages[i]}→${stages[i + 1]}`;
      const edge = edges.get(key) ?? { from: stages[i], to: stages[i + 1], count: 0 };
      edge.count += c.count;
      edges.set(key, edge);
    }
  }
  const byCodePoint = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return [...edges.values()].sort((a, b) => byCodePoint(a.from, b.from) || byCodePoint(a.to, b.to));
}
