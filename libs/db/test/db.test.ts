import { Column, Entity, MigrationInterface, PrimaryColumn, QueryRunner } from 'typeorm';
import { createTestDatabase, TestDatabase } from '@ap/testing';
import { inTransaction, isUuid, openDatabase, translateDatabaseError, databaseAnswers } from '../src';

@Entity({ name: 'thing' })
class Thing {
  @PrimaryColumn({ type: 'text' })
  code: string;
  @Column({ type: 'text' })
  label: string;
}

class CreateThing1700000000001 implements MigrationInterface {
  name = "CreateThing1700000000001";
  async up(q: QueryRunner) {
    await q.query(`CREATE TABLE thing (code text CONSTRAINT thing_pkey PRIMARY KEY, label text NOT NULL)`);
  }
  async down(q: QueryRunner) {
    await q.query(`DROP TABLE thing`);
  }
}

describe('@ap/db on a real database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('directory');
  });
  afterAll(() => db.drop());

  it('runs migrations once, however often the service starts', async () => {
    for (let i = 0; i < 2; i++) {
      const ds = await openDatabase({ url: db.url, entities: [Thing], migrations: [CreateThing1700000000001] });
      const applied = await ds.query(`SELECT name FROM schema_migrations`);
      expect(applied).toEqual([{ name: "CreateThing1700000000001" }]);
      expect(await databaseAnswers(ds)).toBe(true);
      await ds.destroy();
      expect(await databaseAnswers(ds)).toBe(false);
    }
  });

  it('rolls the whole transaction back when any part fails, and names the conflict', async () => {
    const ds = await openDatabase({ url: db.url, entities: [Thing], migrations: [CreateThing1700000000001] });
    try {
      await ds.getRepository(Thing).insert({ code: 'a', label: 'first' });
      const attempt = inTransaction(ds, async (tx) => {
        await tx.getRepository(Thing).insert({ code: 'b', label: 'second' });
        await tx.getRepository(Thing).insert({ code: 'a', label: 'duplicate' });
      }).catch((e) => translateDatabaseError(e, { thing_pkey: 'Code a is taken' }));
      await expect(attempt).rejects.toMatchObject({ message: 'Code a is taken', extensions: { code: 'CONFLICT' } });
      expect(await ds.getRepository(Thing).count()).toBe(1);
    } finally {
      await ds.destroy();
    }
  });

  it('rethrows database errors a client did not cause', () => {
    const boom = new Error('connection reset');
    expect(() => translateDatabaseError(boom)).toThrow(boom);
  });
});

describe('isUuid', () => {
  it('accepts v4 uuids and refuses anything else', () => {
    expect(isUuid('6f1c1a52-3f0e-4d1b-9a55-0d6f1f4f2a10')).toBe(true);
    expect(isUuid('6f1c1a52-3f0e-4d1b-9a55-0d6f1f4f2a1')).toBe(false);
    expect(isUuid("'; DROP TABLE pupil; --")).toBe(false);
  });
});
