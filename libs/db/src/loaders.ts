import DataLoader from 'dataloader';
import { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/**
 * Per-request loaders, so that the gateway's _entities call (or any list of parents) costs one
 * query for all its keys rather than one per key. Create them per request: they cache.
 *
 * Each loader's SELECT is built once per entity from TypeORM's metadata and run with the keys as
 * one array parameter (`= ANY($1)`), its rows hydrated with TypeORM's own conversions and
 * transformers: the repository's find built the same statement anew on every call, which was a
 * seventh of the referral subgraph's CPU under the gateway's pupil queries.
 */

type Direction = 'ASC' | 'DESC' | 'asc' | 'desc' | 1 | -1;
/** A column's sort: a direction, or with where its nulls go. */
export type LoaderOrder<T> = Partial<Record<keyof T & string, Direction | { direction: Direction; nulls?: 'FIRST' | 'LAST' | 'first' | 'last' }>>;

interface Shape {
  metadata: EntityMetadata;
  columns: ColumnMetadata[];
  /** SELECT … FROM … AS e, with virtual columns' subqueries, no WHERE. */
  select: string;
}

const shapes = new WeakMap<DataSource, Map<EntityTarget<unknown>, Shape>>();

function shapeOf(db: DataSource, entity: EntityTarget<unknown>): Shape {
  let byEntity = shapes.get(db);
  if (!byEntity) shapes.set(db, (byEntity = new Map()));
  let shape = byEntity.get(entity);
  if (!shape) {
    const metadata = db.getMetadata(entity);
    if (metadata.relations.length) throw new Error(`loaders: ${metadata.name} has relations, which these loaders do not load`);
    const q = (name: string) => db.driver.escape(name);
    // As find() selects: not the columns marked select: false.
    const columns = metadata.columns.filter((c) => c.isSelect);
    const selections = columns.map((c) =>
      c.isVirtualProperty && c.query ? `(${c.query(q('e'))}) AS ${q(c.databaseName)}` : `${q('e')}.${q(c.databaseName)} AS ${q(c.databaseName)}`,
    );
    shape = { metadata, columns, select: `SELECT ${selections.join(', ')} FROM ${q(metadata.tablePath)} ${q('e')}` };
    byEntity.set(entity, shape);
  }
  return shape;
}

function columnOf(shape: Shape, property: string): ColumnMetadata {
  const column = shape.columns.find((c) => c.propertyName === property);
  if (!column || column.isVirtualProperty) throw new Error(`loaders: ${shape.metadata.name} has no stored column ${property}`);
  return column;
}

/** An entity instance from a raw row, as TypeORM's find hydrates it (types, transformers). */
function hydrate<T>(db: DataSource, shape: Shape, raw: Record<string, unknown>): T {
  const entity = shape.metadata.create() as T & ObjectLiteral;
  for (const column of shape.columns) {
    const value = raw[column.databaseName];
    if (value !== undefined) column.setEntityValue(entity, db.driver.prepareHydratedValue(value, column));
  }
  return entity;
}

async function rowsWhere<T>(db: DataSource, shape: Shape, column: ColumnMetadata, keys: readonly string[], orderBy = ''): Promise<T[]> {
  const q = (name: string) => db.driver.escape(name);
  // The parameter takes the column's own type (an array of it), so the column's index serves.
  const raw: Record<string, unknown>[] = await db.query(`${shape.select} WHERE ${q('e')}.${q(column.databaseName)} = ANY($1)${orderBy}`, [[...keys]]);
  return raw.map((row) => hydrate<T>(db, shape, row));
}

/** The rows with these ids, in no particular order: a loader's query, for a use case that has its ids in hand. */
export function findByIds<T extends ObjectLiteral & { id: string }>(db: DataSource, entity: EntityTarget<T>, ids: readonly string[]): Promise<T[]> {
  const shape = shapeOf(db, entity as EntityTarget<unknown>);
  return ids.length ? rowsWhere<T>(db, shape, columnOf(shape, 'id'), ids) : Promise.resolve([]);
}

/** Rows by id; a missing id loads null. */
export function loaderById<T extends ObjectLiteral & { id: string }>(db: DataSource, entity: EntityTarget<T>): DataLoader<string, T | null> {
  const shape = shapeOf(db, entity as EntityTarget<unknown>);
  const id = columnOf(shape, 'id');
  return new DataLoader(async (ids) => {
    const rows = await rowsWhere<T>(db, shape, id, ids);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((key) => byId.get(key) ?? null);
  });
}

/** The rows whose `column` equals each key (a parent's children), in `order`. */
export function loaderOfMany<T extends ObjectLiteral, K extends keyof T & string>(
  db: DataSource,
  entity: EntityTarget<T>,
  column: K,
  order: LoaderOrder<T>,
): DataLoader<string, T[]> {
  const shape = shapeOf(db, entity as EntityTarget<unknown>);
  const keyColumn = columnOf(shape, column);
  const q = (name: string) => db.driver.escape(name);
  const orderBy = Object.entries(order)
    .map(([property, how]) => {
      const spec = typeof how === 'object' && how !== null ? how : { direction: how as Direction };
      const direction = spec.direction === -1 || String(spec.direction).toUpperCase() === 'DESC' ? 'DESC' : 'ASC';
      const nulls = 'nulls' in spec && spec.nulls ? ` NULLS ${String(spec.nulls).toUpperCase()}` : '';
      return `${q('e')}.${q(columnOf(shape, property).databaseName)} ${direction}${nulls}`;
    })
    .join(', ');
  return new DataLoader(async (keys) => {
    const rows = await rowsWhere<T>(db, shape, keyColumn, keys, orderBy ? ` ORDER BY ${orderBy}` : '');
    const byKey = new Map<string, T[]>(keys.map((k) => [k, []]));
    for (const row of rows) byKey.get(row[column] as string)?.push(row);
    return keys.map((k) => byKey.get(k) ?? []);
  });
}
