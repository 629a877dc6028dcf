import { Client } from 'pg';
import { serviceConfig } from '@ap/config';
import { createTestDatabase } from '../src';

describe('createTestDatabase', () => {
  it('makes a database the service role owns and no other role may enter, and drops it', async () => {
    const db = await createTestDatabase('referral');
    const own = new Client({ connectionString: db.url });
    await own.connect();
    const [{ who }] = (await own.query('SELECT current_user AS who')).rows;
    expect(who).toBe('referral');
    await own.end();

    const other = new URL(serviceConfig('placement').databaseUrl);
    other.pathname = `/${db.name}`;
    const intruder = new Client({ connectionString: other.toString() });
    await expect(intruder.connect()).rejects.toThrow(/permission denied/);
    await intruder.end().catch(() => undefined);

    await db.drop();
    const again = new Client({ connectionString: db.url });
    await expect(again.connect()).rejects.toThrow(/does not exist/);
    await again.end().catch(() => undefined);
  });
});
