import type { InputProblem } from '@ap/errors';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;
const EARTH_RADIUS_KM = 6371;

export interface Near {
  latitude: number;
  longitude: number;
  withinKm: number;
}

/** Cursors are opaque to clients: the position of the edge in the ordered answer. */
export const encodeCursor = (offset: number): string => Buffer.from(`offset:${offset}`, 'utf8').toString('base64url');

export function decodeCursor(cursor: string): number | null {
  const m = /^offset:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : null;
}

/** Page size, cursor, the point and radius of `near`, a maximum price and free text: each checked, every problem at once. */
export function checkSearch(args: { first?: number | null; after?: string | null; near?: Near | null; maxPricePerDay?: number | null; text?: string | null }):
  | { ok: true; first: number; offset: number }
  | { ok: false; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) problems.push({ field: 'first', message: `A page holds 1 to ${MAX_PAGE_SIZE} providers` });
  let offset = 0;
  if (args.after != null) {
    const decoded = decodeCursor(args.after);
    if (decoded === null) problems.push({ field: 'after', message: 'This cursor is not one the directory gave: use an endCursor from an earlier page' });
    else offset = decoded + 1;
  }
  const near = args.near;
  if (near) {
    if (!(near.latitude >= -90 && near.latitude <= 90)) problems.push({ field: 'filter.near.latitude', message: 'Latitude is between -90 and 90 degrees' });
    if (!(near.longitude >= -180 && near.longitude <= 180)) problems.push({ field: 'filter.near.longitude', message: 'Longitude is between -180 and 180 degrees' });
    if (!(near.withinKm > 0 && near.withinKm <= 500)) problems.push({ field: 'filter.near.withinKm', message: 'The distance is more than 0 and at most 500 km' });
  }
  if (args.maxPricePerDay != null && !(args.maxPricePerDay >= 0)) problems.push({ field: 'filter.maxPricePerDay', message: 'A maximum price cannot be negative' });
  if (args.text != null && args.text.length > 200) problems.push({ field: 'filter.text', message: 'Search text must be at most 200 characters' });
  if (problems.length) return { ok: false, problems };
  return { ok: true, first, offset };
}

/**
 * The latitude/longitude box that holds every point within `withinKm` of the centre: the index
 * narrows to it, then the exact (haversine) distance decides. Near the poles it widens to all longitudes.
 */
export function boundingBox({ latitude, longitude, withinKm }: Near): { minLat: number; maxLat: number; minLon: number; maxLon: number } {
  const dLat = (withinKm / EARTH_RADIUS_KM) * (180 / Math.PI);
  const minLat = Math.max(-90, latitude - dLat);
  const maxLat = Math.min(90, latitude + dLat);
  const widest = Math.max(Math.abs(minLat), Math.abs(maxLat));
  if (widest >= 89.9) return { minLat, maxLat, minLon: -180, maxLon: 180 };
  const dLon = dLat / Math.cos((widest * Math.PI) / 180);
  return { minLat, maxLat, minLon: Math.max(-180, longitude - dLon), maxLon: Math.min(180, longitude + dLon) };
}

/** Great-circle distance in km (the same formula the search's SQL uses). */
export function haversineKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const h = Math.sin(rad(b.latitude - a.latitude) / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(rad(b.longitude - a.longitude) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}
