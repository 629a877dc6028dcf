import DataLoader from 'dataloader';
import { DataSource, EntityTarget, FindOptionsOrder, FindOptionsWhere, In, ObjectLiteral } from 'typeorm';

/**
 * Per-request loaders, so that the gateway's _entities call (or any list of parents) costs one
 * query for all its keys rather than one per key. Create them per request: they cache.
 */

/** Rows by id; a missing id loads null. */
export function loaderById<T extends ObjectLiteral & { id: string }>(db: DataSource, entity: EntityTarget<T>): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => {
    const rows = await db.getRepository(entity).findBy({ id: In([...ids]) } as FindOptionsWhere<T>);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** The rows whose `column` equals each key (a parent's children), in `order`. */
export function loaderOfMany<T extends ObjectLiteral, K extends keyof T & string>(
  db: DataSource,
  entity: EntityTarget<T>,
  column: K,
  order: FindOptionsOrder<T>,
): DataLoader<string, T[]> {
  return new DataLoader(async (keys) => {
    const rows = await db.getRepository(entity).find({ where: { [column]: In([...keys]) } as FindOptionsWhere<T>, order });
    const byKey = new Map<string, T[]>(keys.map((k) => [k, []]));
    for (const row of rows) byKey.get(row[column] as string)?.push(row);
    return keys.map((k) => byKey.get(k) ?? []);
  });
}
