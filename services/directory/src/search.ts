import { In } from 'typeorm';
import { relationOf, requirePrincipal } from '@ap/auth';
import { COMPLIANCE_OUTSIDE_LOCAL_OFFER } from '@ap/domain';
import { invalidInput } from '@ap/errors';
import { directoryAccess } from './access';
import type { DirectoryContext } from './context';
import { boundingBox, checkSearch, encodeCursor, Near } from './domain/search';
import { Offer, Provider } from './entities';
import { callerSchoolLa } from './schools';
import type { LocalOfferFilter, ProviderSearchFilter } from './__generated__/resolvers-types';

/** One provider of a search's answer, with the open offers that matched and its distance. */
export interface SearchEdge {
  cursor: string;
  node: Provider;
  distanceKm: number | null;
  offers: Offer[];
}

export interface SearchPage {
  edges: SearchEdge[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

/** Who the search is for: which providers it may return at all (the access table's relations, as SQL). */
type Scope =
  | { kind: 'localOffer'; laCode: string }
  | { kind: 'la'; laCode: string }
  | { kind: 'ownLa'; laCode: string }
  | { kind: 'school'; laCode: string | null }
  | { kind: 'provider'; providerId: string };

// A provider the public local offer shows: approved, and not found wanting by its last audit (or out of date).
// The same rule as @ap/domain's shownInLocalOffer (which the access relation uses), as SQL.
const PUBLIC = `p.approval_status = 'APPROVED' AND p.compliance NOT IN (${COMPLIANCE_OUTSIDE_LOCAL_OFFER.map((c) => `'${c}'`).join(', ')})`;

const HAVERSINE = (lat: string, lon: string) =>
  `(2 * 6371 * asin(least(1, sqrt(power(sin(radians(p.latitude - ${lat}) / 2), 2) + cos(radians(${lat})) * cos(radians(p.latitude)) * power(sin(radians(p.longitude - ${lon}) / 2), 2)))))`;

type Filter = ProviderSearchFilter & LocalOfferFilter;

/**
 * The search as one SQL statement: providers in scope, with their open offers that match, inside
 * the bounding box of `near` (GiST index on the location) and then within the exact distance,
 * nearest first; the page and the total count in the same answer.
 */
function searchSql(scope: Scope, filter: Filter, first: number, offset: number): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  const where: string[] = [];
  switch (scope.kind) {
    case 'localOffer':
      where.push(`p.la_code = ${p(scope.laCode)}`, PUBLIC);
      break;
    case 'la':
      // Its own LA's directory in full; other LAs' providers as their local offer shows them.
      where.push(`(p.la_code = ${p(scope.laCode)} OR (${PUBLIC}))`);
      break;
    case 'ownLa':
      where.push(`p.la_code = ${p(scope.laCode)}`);
      break;
    case 'school':
      where.push(`p.approval_status = 'APPROVED'`);
      // A school the directory knows sees its LA's directory; one it does not yet know, any LA's approved providers.
      if (scope.laCode) where.push(`p.la_code = ${p(scope.laCode)}`);
      break;
    case 'provider':
      where.push(`p.id = ${p(scope.providerId)}`);
      break;
  }
  if (filter.approvalStatus) where.push(`p.approval_status = ${p(filter.approvalStatus)}`);
  if (filter.compliance) where.push(`p.compliance = ${p(filter.compliance)}`);
  const offerWhere: string[] = ['o.closed_at IS NULL'];
  if (filter.keyStage) offerWhere.push(`o.key_stages @> ARRAY[${p(filter.keyStage)}]::text[]`);
  if (filter.need) offerWhere.push(`o.needs @> ARRAY[${p(filter.need)}]::text[]`);
  if (filter.deliveryMode) offerWhere.push(`o.delivery_modes @> ARRAY[${p(filter.deliveryMode)}]::text[]`);
  if (filter.hasFreePlaces) offerWhere.push(`o.capacity > o.places_in_use`);
  if (filter.maxPricePerDay != null) offerWhere.push(`o.price_per_day <= ${p(filter.maxPricePerDay)}`);
  const text = filter.text?.trim();
  if (text) {
    const like = p(`%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    // The providers whose name, or an open offer's name, holds the text, each from its trigram index;
    // then the row itself: a provider matched by name shows all its offers, one matched by an offer that offer.
    where.push(
      `p.id IN (SELECT id FROM provider WHERE name ILIKE ${like} UNION SELECT provider_id FROM offer WHERE closed_at IS NULL AND name ILIKE ${like})`,
      `(p.name ILIKE ${like} OR o.name ILIKE ${like})`,
    );
  }
  const near: Near | null | undefined = filter.near;
  let distance = 'NULL::double precision';
  if (near) {
    const box = boundingBox(near);
    where.push(
      `p.latitude IS NOT NULL`,
      `point(p.longitude, p.latitude) <@ box(point(${p(box.minLon)}, ${p(box.minLat)}), point(${p(box.maxLon)}, ${p(box.maxLat)}))`,
    );
    distance = HAVERSINE(`${p(near.latitude)}::double precision`, `${p(near.longitude)}::double precision`);
  }
  const within = near ? `WHERE m.distance_km <= ${p(near.withinKm)}` : '';
  const sql = `
    WITH matching AS (
      SELECT p.id, p.name, ${distance} AS distance_km, array_agg(o.id ORDER BY o.name, o.id) AS offer_ids
      FROM provider p JOIN offer o ON o.provider_id = p.id AND ${offerWhere.join(' AND ')}
      WHERE ${where.join(' AND ')}
      GROUP BY p.id
    )
    SELECT m.id, m.distance_km, m.offer_ids, count(*) OVER () AS total
    FROM matching m ${within}
    ORDER BY m.distance_km ASC NULLS LAST, m.name, m.id
    LIMIT ${p(first + 1)} OFFSET ${p(offset)}`;
  return { sql, params };
}

interface Row {
  id: string;
  distance_km: number | null;
  offer_ids: string[];
  total: string;
}

async function runSearch(ctx: DirectoryContext, scope: Scope, filter: Filter | null | undefined, firstArg?: number | null, after?: string | null): Promise<SearchPage> {
  const f: Filter = filter ?? {};
  const checked = checkSearch({ first: firstArg, after, near: f.near, maxPricePerDay: f.maxPricePerDay, text: f.text });
  if (!checked.ok) throw invalidInput(checked.problems);
  const { first, offset } = checked;
  const { sql, params } = searchSql(scope, f, first, offset);
  const rows: Row[] = await ctx.db.query(sql, params);
  const page = rows.slice(0, first);
  const providers = page.length ? await ctx.db.getRepository(Provider).findBy({ id: In(page.map((r) => r.id)) }) : [];
  const offerIds = page.flatMap((r) => r.offer_ids);
  const offers = offerIds.length ? await ctx.db.getRepository(Offer).findBy({ id: In(offerIds) }) : [];
  const providerById = new Map(providers.map((x) => [x.id, x]));
  const offerById = new Map(offers.map((x) => [x.id, x]));
  const edges = page.map((r, i) => ({
    cursor: encodeCursor(offset + i),
    node: providerById.get(r.id)!,
    distanceKm: r.distance_km === null ? null : Math.round(r.distance_km * 100) / 100,
    offers: r.offer_ids.map((id) => offerById.get(id)!).filter(Boolean),
  }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
    totalCount: rows.length ? Number(rows[0].total) : offset > 0 ? await countOnly(ctx, scope, f) : 0,
  };
}

/** A page past the end still reports the total. */
async function countOnly(ctx: DirectoryContext, scope: Scope, filter: Filter): Promise<number> {
  const { sql, params } = searchSql(scope, filter, 0, 0);
  const rows: Row[] = await ctx.db.query(sql.replace(/LIMIT \$\d+ OFFSET \$\d+$/, ''), params.slice(0, -2));
  return rows.length ? Number(rows[0].total) : 0;
}

/** The directory as the caller may see it (the access table's relations for Query.providers, as SQL). */
export async function searchProviders(ctx: DirectoryContext, filter: ProviderSearchFilter | null | undefined, first?: number | null, after?: string | null): Promise<SearchPage> {
  const principal = requirePrincipal(ctx);
  let scope: Scope;
  switch (principal.org.type) {
    case 'la':
      // The role's relation decides whether other LAs' providers are in scope at all.
      scope =
        relationOf(directoryAccess, 'Query.searchProviders', principal.role) === 'providersLa'
          ? { kind: 'ownLa', laCode: principal.org.id }
          : { kind: 'la', laCode: principal.org.id };
      break;
    case 'school':
      scope = { kind: 'school', laCode: await callerSchoolLa(ctx) };
      break;
    case 'provider':
      scope = { kind: 'provider', providerId: principal.org.id };
      break;
  }
  return runSearch(ctx, scope, filter, first, after);
}

/** The public local offer: needs no token, shows only approved providers in good standing. */
export async function localOffer(ctx: DirectoryContext, laCode: string, filter: LocalOfferFilter | null | undefined, first?: number | null, after?: string | null): Promise<SearchPage> {
  if (!/^\d{3}$/.test(laCode)) throw invalidInput([{ field: 'laCode', message: `"${laCode}" is not an LA code (three digits)` }]);
  return runSearch(ctx, { kind: 'localOffer', laCode }, filter, first, after);
}

export { searchSql };
