import { randomUUID } from 'node:crypto';
import { Column, DataSource, Entity, MigrationInterface, PrimaryColumn, QueryRunner } from 'typeorm';
import { createTestDatabase, TestDatabase } from '@ap/testing';
import { loaderById, loaderOfMany, openDatabase, statementsSent } from '../src';

@Entity({ name: 'note' })
class Note {
  @PrimaryColumn({ type: 'uuid' })
  id: string;
  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId: string;
  @Column({ type: 'integer' })
  position: number;
}

class CreateNote1700000000002 implements MigrationInterface {
  name = 'CreateNote1700000000002';
  async up(q: QueryRunner) {
    await q.query(`CREATE TABLE note (id uuid PRIMARY KEY, owner_id uuid NOT NULL, position integer NOT NULL)`);
  }
  async down(q: QueryRunner) {
    await q.query(`DROP TABLE note`);
  }
}

describe('per-request loaders', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const [alice, bob, nobody] = [randomUUID(), randomUUID(), randomUUID()];
  const notes = [
    { id: randomUUID(), ownerId: alice, position: 2 },
    { id: randomUUID(), ownerId: bob, position: 1 },
    { id: randomUUID(), ownerId: alice, position: 1 },
  ];

  beforeAll(async () => {
    db = await createTestDatabase('directory');
    ds = await openDatabase({ url: db.url, entities: [Note], migrations: [CreateNote1700000000002] });
    await ds.getRepository(Note).insert(notes);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('loads many ids with one query, in key order, null for a missing id', async () => {
    const sent = statementsSent(ds).background;
    const loader = loaderById(ds, Note);
    const found = await Promise.all([notes[2].id, randomUUID(), notes[0].id].map((id) => loader.load(id)));
    expect(found.map((n) => n?.id ?? null)).toEqual([notes[2].id, null, notes[0].id]);
    expect(statementsSent(ds).background - sent).toBe(1);
  });

  it('groups children by parent with one query, in the order asked, empty for a parent with none', async () => {
    const sent = statementsSent(ds).background;
    const loader = loaderOfMany(ds, Note, 'ownerId', { position: 'ASC' });
    const [a, b, c] = await Promise.all([alice, bob, nobody].map((k) => loader.load(k)));
    expect(a.map((n) => n.position)).toEqual([1, 2]);
    expect(b.map((n) => n.id)).toEqual([notes[1].id]);
    expect(c).toEqual([]);
    expect(a[0]).toBeInstanceOf(Note);
    expect(statementsSent(ds).background - sent).toBe(1);
  });
});
