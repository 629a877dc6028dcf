import { invalidInput } from '@ap/errors';

/** Opaque page cursors: base64url of the last item's sort key. */
export const encodeCursor = (key: string) => Buffer.from(key, 'utf8').toString('base64url');

export function decodeCursor(cursor: string | null | undefined, field: string): string | null {
  if (!cursor) return null;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key || encodeCursor(key) !== cursor) throw invalidInput([{ field, message: `${field} must be an endCursor from an earlier page` }]);
  return key;
}

export const PAGE_MAX = 200;
export function pageSize(first: number | null | undefined): number {
  const n = first ?? 50;
  if (!Number.isInteger(n) || n < 1 || n > PAGE_MAX) throw invalidInput([{ field: 'first', message: `first must be from 1 to ${PAGE_MAX}` }]);
  return n;
}
