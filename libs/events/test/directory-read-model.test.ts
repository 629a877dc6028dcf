import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { openDatabase } from '@ap/db';
import { createTestDatabase, TestDatabase } from '@ap/testing';
import {
  DirectoryOffer,
  directoryOfferHandlers,
  directoryOfferMigrations,
  DirectoryProvider,
  directoryProviderHandlers,
  directoryProviderMigrations,
  DirectorySchool,
  directorySchoolHandlers,
  directorySchoolMigrations,
  EventOf,
  EventType,
  newEvent,
  providerComplianceHandlers,
} from '../src';
import type { EventPayloads } from '../src/payloads';

/** The directory read model other services keep from the directory's and the audit service's events. */
describe('the directory read model (providers and schools)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const handlers = { ...directoryProviderHandlers, ...providerComplianceHandlers, ...directorySchoolHandlers, ...directoryOfferHandlers };

  async function apply<T extends EventType>(type: T, payload: EventPayloads[T]): Promise<void> {
    const event = newEvent({ type, producer: 'directory', key: 'k', payload }) as EventOf<T>;
    const handler = handlers[type as keyof typeof handlers] as unknown as (e: EventOf<T>, tx: unknown) => Promise<void>;
    await ds.transaction((tx) => handler(event, tx));
  }
  const provider = (id: string) => ds.getRepository(DirectoryProvider).findOneByOrFail({ id });

  beforeAll(async () => {
    db = await createTestDatabase('placement');
    ds = await openDatabase({ url: db.url, entities: [DirectoryProvider, DirectorySchool, DirectoryOffer], migrations: [...directoryProviderMigrations, ...directorySchoolMigrations, ...directoryOfferMigrations] });
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('follows a provider through registration, approval, suspension, reinstatement and withdrawal', async () => {
    const id = randomUUID();
    const at = new Date().toISOString();
    await apply('provider.registered', { providerId: id, name: 'Horizons', registrationType: 'UNREGISTERED', laCode: '865' });
    expect(await provider(id)).toMatchObject({ laCode: '865', status: 'APPLIED', approved: false, compliance: 'NOT_AUDITED' });
    await apply('provider.approved', { providerId: id, approvedAt: at });
    expect(await provider(id)).toMatchObject({ status: 'APPROVED', approved: true });
    await apply('provider.suspended', { providerId: id, laCode: '865', reason: 'Safeguarding concern', suspendedAt: at });
    expect(await provider(id)).toMatchObject({ status: 'SUSPENDED', approved: false });
    await apply('provider.reinstated', { providerId: id, laCode: '865', reason: 'Resolved', reinstatedAt: at });
    expect(await provider(id)).toMatchObject({ status: 'APPROVED', approved: true });
    await apply('provider.withdrawn', { providerId: id, laCode: '865', reason: 'Closed', withdrawnAt: at });
    expect(await provider(id)).toMatchObject({ status: 'WITHDRAWN', approved: false, laCode: '865' });
  });

  it('takes a newer compliance and ignores an older one arriving late', async () => {
    const id = randomUUID();
    await apply('provider.registered', { providerId: id, name: 'Compass', registrationType: 'UNREGISTERED', laCode: '865' });
    await apply('provider.compliance_changed', { providerId: id, compliance: 'NON_COMPLIANT', reason: 'RED audit', effectiveAt: '2026-11-20T10:00:00.000Z' });
    await apply('provider.compliance_changed', { providerId: id, compliance: 'COMPLIANT', reason: 'older GREEN audit', effectiveAt: '2026-10-01T10:00:00.000Z' });
    expect(await provider(id)).toMatchObject({ compliance: 'NON_COMPLIANT' });
    await apply('provider.compliance_changed', { providerId: id, compliance: 'COMPLIANT', reason: 'GREEN re-audit', effectiveAt: '2026-11-24T10:00:00.000Z' });
    expect(await provider(id)).toMatchObject({ compliance: 'COMPLIANT' });
  });

  it('learns compliance before registration without losing either', async () => {
    const id = randomUUID();
    await apply('provider.compliance_changed', { providerId: id, compliance: 'ACTION_REQUIRED', reason: 'AMBER', effectiveAt: '2026-11-20T10:00:00.000Z' });
    await apply('provider.registered', { providerId: id, name: 'Late', registrationType: 'UNREGISTERED', laCode: '344' });
    expect(await provider(id)).toMatchObject({ compliance: 'ACTION_REQUIRED', laCode: '344', status: 'APPLIED' });
  });

  it('keeps each offer as the directory last changed it: a close, a capacity change, a late older event and a redelivery', async () => {
    const offerId = randomUUID();
    const providerId = randomUUID();
    const offer = (over: Partial<EventPayloads['offer.changed']>) => ({ offerId, providerId, laCode: '865', open: true, capacity: 6, keyStages: ['KS3' as const], pricePerDay: 120.5, effectiveAt: '2026-11-20T10:00:00.000Z', ...over });
    await apply('offer.changed', offer({}));
    expect(await ds.getRepository(DirectoryOffer).findOneByOrFail({ id: offerId })).toMatchObject({ providerId, laCode: '865', open: true, capacity: 6, keyStages: ['KS3'], pricePerDay: 120.5 });
    await apply('offer.changed', offer({ capacity: 2, effectiveAt: '2026-11-21T10:00:00.000Z' }));
    await apply('offer.changed', offer({ open: false, capacity: 2, effectiveAt: '2026-11-22T10:00:00.000Z' }));
    // An older event arriving late, and the newest again: nothing changes.
    await apply('offer.changed', offer({ capacity: 9, effectiveAt: '2026-11-21T12:00:00.000Z' }));
    await apply('offer.changed', offer({ open: false, capacity: 2, effectiveAt: '2026-11-22T10:00:00.000Z' }));
    expect(await ds.getRepository(DirectoryOffer).findOneByOrFail({ id: offerId })).toMatchObject({ open: false, capacity: 2, effectiveAt: new Date('2026-11-22T10:00:00.000Z') });
  });

  it('knows which LA a school is in; a re-import updates it, a redelivery changes nothing', async () => {
    await apply('school.registered', { urn: '100001', name: 'Oak Academy', phase: 'SECONDARY', laCode: '865' });
    const first = await ds.getRepository(DirectorySchool).findOneByOrFail({ urn: '100001' });
    expect(first).toMatchObject({ laCode: '865', name: 'Oak Academy' });
    await apply('school.registered', { urn: '100001', name: 'Oak Academy', phase: 'SECONDARY', laCode: '865' });
    expect((await ds.getRepository(DirectorySchool).findOneByOrFail({ urn: '100001' })).updatedAt).toEqual(first.updatedAt);
    await apply('school.registered', { urn: '100001', name: 'Oak Academy Trust', phase: 'SECONDARY', laCode: '865' });
    expect(await ds.getRepository(DirectorySchool).findOneByOrFail({ urn: '100001' })).toMatchObject({ name: 'Oak Academy Trust' });
  });
});
