import { randomUUID } from 'node:crypto';
import { CreateEventTables1700000000000, directoryProviderMigrations, directorySchoolMigrations } from '@ap/events';
import { openDatabase } from '@ap/db';
import { createTestDatabase, TestDatabase } from '@ap/testing';
import { entities } from '../src/entities';
import { CreatePlacementTables1732300000000 } from '../src/migrations/1732300000000-CreatePlacementTables';
import { OneOpenPlacementPerPupil1732500000000 } from '../src/migrations/1732500000000-OneOpenPlacementPerPupil';
import { PlacementPlan1732700000000 } from '../src/migrations/1732700000000-PlacementPlan';

describe('the one-open-placement-per-pupil migration', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase('placement');
  });
  afterEach(() => db.drop());

  const open = (withRule: boolean) =>
    openDatabase({
      url: db.url,
      entities,
      migrations: [CreateEventTables1700000000000, CreatePlacementTables1732300000000, ...(withRule ? [OneOpenPlacementPerPupil1732500000000] : [])],
    });

  it('stops with a message a person can act on when pupils already have two open placements, changing nothing', async () => {
    const before = await open(false);
    const pupilId = randomUUID();
    for (const status of ['PLANNED', 'ACTIVE']) {
      await before.query(`INSERT INTO placement (id, referral_id, pupil_id, provider_id, school_urn, status) VALUES ($1, $2, $3, $4, '100001', $5)`, [
        randomUUID(),
        randomUUID(),
        pupilId,
        randomUUID(),
        status,
      ]);
    }
    await before.destroy();
    await expect(open(true)).rejects.toThrow('1 pupils have more than one planned or active placement: end or cancel the extra ones');
    const after = await open(false);
    expect(await after.query(`SELECT to_regclass('refused_placement') AS t`)).toEqual([{ t: null }]);
    await after.destroy();
  });

  it('applies on a clean database', async () => {
    const ds = await open(true);
    expect(await ds.query(`SELECT indexname FROM pg_indexes WHERE indexname = 'placement_one_open_per_pupil'`)).toHaveLength(1);
    await ds.destroy();
  });
});

describe('the placement plan migration (issue 10)', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase('placement');
  });
  afterEach(() => db.drop());

  it('keeps earlier placements as full-time, backfills their start date, and narrows the one-placement rule to full-time placements', async () => {
    const base = [CreateEventTables1700000000000, CreatePlacementTables1732300000000, OneOpenPlacementPerPupil1732500000000];
    const before = await openDatabase({ url: db.url, entities, migrations: base });
    const pupilId = randomUUID();
    await before.query(
      `INSERT INTO placement (id, referral_id, pupil_id, provider_id, school_urn, status, started_at) VALUES ($1, $2, $3, $4, '100001', 'ACTIVE', '2026-11-02T09:00:00Z')`,
      [randomUUID(), randomUUID(), pupilId, randomUUID()],
    );
    await before.destroy();
    const after = await openDatabase({ url: db.url, entities, migrations: [...base, ...directoryProviderMigrations, ...directorySchoolMigrations, PlacementPlan1732700000000] });
    expect(await after.query(`SELECT full_time, to_char(start_date, 'YYYY-MM-DD') AS start_date FROM placement WHERE pupil_id = $1`, [pupilId])).toEqual([
      { full_time: true, start_date: '2026-11-02' },
    ]);
    const insert = `INSERT INTO placement (id, referral_id, pupil_id, provider_id, school_urn, status, full_time) VALUES ($1, NULL, $2, $3, '100001', 'PLANNED', $4)`;
    await expect(after.query(insert, [randomUUID(), pupilId, randomUUID(), true])).rejects.toMatchObject({ driverError: { constraint: 'placement_one_full_time_per_pupil' } });
    await after.query(insert, [randomUUID(), pupilId, randomUUID(), false]);
    await expect(
      after.query(`INSERT INTO placement (id, pupil_id, provider_id, status) VALUES ($1, $2, $3, 'PLANNED')`, [randomUUID(), randomUUID(), randomUUID()]),
    ).rejects.toMatchObject({ driverError: { constraint: 'placement_commissioned' } });
    await after.destroy();
  });
});
