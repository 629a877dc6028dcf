import { randomUUID } from 'node:crypto';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { createTestDatabase, TestDatabase } from '@ap/testing';
import { createOnce, CreateIdempotencyKeyTable1700000000001, IDEMPOTENCY_KEY_TTL_HOURS, openDatabase, purgeExpiredIdempotencyKeys, requestHash } from '../src';

class CreateNote1700000000002 implements MigrationInterface {
  name = 'CreateNote1700000000002';
  async up(q: QueryRunner) {
    await q.query(`CREATE TABLE note (id uuid PRIMARY KEY, text text NOT NULL)`);
  }
  async down(q: QueryRunner) {
    await q.query(`DROP TABLE note`);
  }
}

interface Note {
  id: string;
  text: string;
}

const alice = { userId: 'alice', org: { type: 'school', id: '100001' } };
const bob = { userId: 'bob', org: { type: 'school', id: '100001' } };

describe('createOnce: one create per Idempotency-Key, on a real database', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const notes = async () => (await ds.query(`SELECT count(*)::int AS n FROM note`))[0].n as number;
  const keys = async () => (await ds.query(`SELECT count(*)::int AS n FROM idempotency_keys`))[0].n as number;

  /** Creates a note, slowly enough that parallel requests overlap. */
  const addNote = (key: string | undefined, text: string, caller = alice) =>
    createOnce<Note>(ds, { key, caller, operation: 'addNote', input: { text } }, {
      create: async (tx) => {
        const note = { id: randomUUID(), text };
        await tx.query(`INSERT INTO note (id, text) VALUES ($1, $2)`, [note.id, note.text]);
        await tx.query(`SELECT pg_sleep(0.05)`);
        return note;
      },
      idOf: (note) => note.id,
      replay: async (id) => ((await ds.query(`SELECT id, text FROM note WHERE id = $1`, [id])) as Note[])[0] ?? null,
    });

  beforeAll(async () => {
    db = await createTestDatabase('directory');
    ds = await openDatabase({ url: db.url, entities: [], migrations: [CreateIdempotencyKeyTable1700000000001, CreateNote1700000000002] });
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('creates every time without a key', async () => {
    const before = await notes();
    await addNote(undefined, 'a');
    await addNote(undefined, 'a');
    expect(await notes()).toBe(before + 2);
  });

  it('answers a retry with the same key and input with the same entity, writing nothing', async () => {
    const key = randomUUID();
    const first = await addNote(key, 'hello');
    const before = { notes: await notes(), keys: await keys() };
    const again = await addNote(key, 'hello');
    expect(again).toEqual(first);
    expect({ notes: await notes(), keys: await keys() }).toEqual(before);
  });

  it('refuses the same key with different input as a CONFLICT naming the key', async () => {
    const key = randomUUID();
    await addNote(key, 'one');
    const before = await notes();
    await expect(addNote(key, 'two')).rejects.toMatchObject({
      extensions: { code: 'CONFLICT' },
      message: expect.stringContaining(`Idempotency-Key "${key}" was already used for a different addNote request`),
    });
    expect(await notes()).toBe(before);
  });

  it('keeps keys apart by caller', async () => {
    const key = randomUUID();
    const mine = await addNote(key, 'same');
    const theirs = await addNote(key, 'same', bob);
    expect(theirs.id).not.toBe(mine.id);
  });

  it('creates once for twenty parallel requests with one key, and all get the same answer', async () => {
    const key = randomUUID();
    const before = await notes();
    const answers = await Promise.all(Array.from({ length: 20 }, () => addNote(key, 'parallel')));
    expect(new Set(answers.map((n) => n.id)).size).toBe(1);
    expect(await notes()).toBe(before + 1);
  });

  it('stores nothing when the create fails, so a retry is judged afresh', async () => {
    const key = randomUUID();
    const failing = createOnce(ds, { key, caller: alice, operation: 'addNote', input: { text: 'x' } }, {
      create: async () => {
        throw new Error('refused');
      },
      idOf: () => '',
      replay: async () => null,
    });
    await expect(failing).rejects.toThrow('refused');
    expect(await ds.query(`SELECT 1 FROM idempotency_keys WHERE key = $1`, [key])).toEqual([]);
    expect((await addNote(key, 'x')).text).toBe('x');
  });

  it(`forgets a key after ${IDEMPOTENCY_KEY_TTL_HOURS} hours: it creates anew, and the purge is safe to run twice`, async () => {
    const key = randomUUID();
    const first = await addNote(key, 'old');
    await ds.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = $1`, [key]);
    const fresh = await addNote(key, 'old');
    expect(fresh.id).not.toBe(first.id);

    const other = randomUUID();
    await addNote(other, 'stale');
    await ds.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = $1`, [other]);
    expect(await purgeExpiredIdempotencyKeys(ds)).toBe(1);
    expect(await purgeExpiredIdempotencyKeys(ds)).toBe(0);
    expect(await ds.query(`SELECT key FROM idempotency_keys WHERE key = ANY($1)`, [[key, other]])).toEqual([{ key }]);
    const [{ hours }] = await ds.query(`SELECT round(extract(epoch FROM expires_at - created_at) / 3600)::int AS hours FROM idempotency_keys WHERE key = $1`, [key]);
    expect(hours).toBe(IDEMPOTENCY_KEY_TTL_HOURS);
  });

  it('hashes input canonically: key order does not matter, values do', () => {
    expect(requestHash('op', { a: 1, b: { c: 2, d: 3 } })).toBe(requestHash('op', { b: { d: 3, c: 2 }, a: 1 }));
    expect(requestHash('op', { a: 1 })).not.toBe(requestHash('op', { a: 2 }));
    expect(requestHash('op', { a: 1 })).not.toBe(requestHash('other', { a: 1 }));
  });
});
