import { checkOfferDetails, freePlaces } from './offer';
import { auditExpiresAt, checkLifecycle, checkProviderDetails, checkProviderProfile, expiredCompliance } from './provider';
import { checkSchool, duplicateUrns } from './school';
import { boundingBox, checkSearch, decodeCursor, encodeCursor, haversineKm } from './search';

const offer = { name: 'KS3 SEMH', keyStages: ['KS3' as const], needs: ['SEMH' as const], deliveryModes: ['ON_SITE' as const], sessionsOffered: 10, pricePerDay: 120, capacity: 4 };
const fieldsOf = (r: { ok: boolean; problems?: { field: string }[] }) => (r.ok ? [] : r.problems!.map((p) => p.field));

describe('offers', () => {
  it.each([
    [{}, []],
    [{ capacity: -1 }, ['capacity']],
    [{ capacity: 1.5 }, ['capacity']],
    [{ pricePerDay: -0.01 }, ['pricePerDay']],
    [{ pricePerDay: 10.005 }, ['pricePerDay']],
    [{ sessionsOffered: 11 }, ['sessionsOffered']],
    [{ name: '  ', keyStages: [], needs: [], deliveryModes: [] }, ['name', 'keyStages', 'needs', 'deliveryModes']],
  ])('checks %j → problems %j', (over, fields) => {
    expect(fieldsOf(checkOfferDetails({ ...offer, ...over } as typeof offer))).toEqual(fields);
  });

  it('tidies names and lists, keeping pence', () => {
    const r = checkOfferDetails({ ...offer, name: ' KS3   SEMH ', subjects: [' Maths', 'Maths', ''], pricePerDay: 99.5 });
    expect(r.ok && r.value).toMatchObject({ name: 'KS3 SEMH', subjects: ['Maths'], qualifications: [], pricePerDay: 99.5 });
  });

  it.each([
    [4, 0, 4],
    [4, 4, 0],
    [1, 3, 0],
  ])('capacity %i with %i in use leaves %i free, never negative', (capacity, placesInUse, free) => {
    expect(freePlaces({ capacity, placesInUse })).toBe(free);
  });
});

describe('provider profile', () => {
  it.each([
    [{ location: { latitude: 200, longitude: 0 } }, ['location.latitude']],
    [{ location: { latitude: 51, longitude: -181 } }, ['location.longitude']],
    [{ contacts: [{ name: 'Jo', role: 'DSL', email: 'not-an-email' }] }, ['contacts[0].email']],
    [{ contacts: [{ name: 'Jo', role: 'DSL', phone: '12' }] }, ['contacts[0].phone']],
    [{ contacts: [{ name: '', role: 'DSL' }] }, ['contacts[0].name', 'contacts[0]']],
    [{ address: '1 High St', location: { latitude: 51.35, longitude: -1.99 }, contacts: [{ name: 'Jo', role: 'DSL', email: 'jo@example.org', phone: '+44 1380 123456' }] }, []],
  ])('checks %j → problems %j', (input, fields) => {
    expect(fieldsOf(checkProviderProfile(input))).toEqual(fields);
  });

  it.each(['SN10 1AA', 'W1A 0AX', 'M1 1AE'])('accepts the UK postcode %s', (postcode) => {
    expect(checkProviderDetails({ name: 'x', registrationType: 'UNREGISTERED', postcode }).ok).toBe(true);
  });
  it.each(['SN10 1AI', 'QQ1 1AA', '12345', 'SN10', 'SN10 1AAA'])('refuses %s as not a UK postcode', (postcode) => {
    expect(fieldsOf(checkProviderDetails({ name: 'x', registrationType: 'UNREGISTERED', postcode }))).toEqual(['postcode']);
  });
});

describe('lifecycle', () => {
  it.each([
    ['suspend', 'APPROVED', 'SUSPENDED'],
    ['reinstate', 'SUSPENDED', 'APPROVED'],
    ['withdraw', 'APPLIED', 'WITHDRAWN'],
    ['withdraw', 'APPROVED', 'WITHDRAWN'],
    ['withdraw', 'SUSPENDED', 'WITHDRAWN'],
  ] as const)('%s moves %s to %s', (action, from, to) => {
    expect(checkLifecycle(action, from, 'why')).toEqual({ ok: true, to });
  });
  it.each([
    ['suspend', 'APPLIED'],
    ['suspend', 'SUSPENDED'],
    ['reinstate', 'APPROVED'],
    ['reinstate', 'WITHDRAWN'],
    ['withdraw', 'WITHDRAWN'],
  ] as const)('%s refuses a provider that is %s (CONFLICT)', (action, from) => {
    expect(checkLifecycle(action, from, 'why')).toMatchObject({ ok: false, code: 'CONFLICT' });
  });
  it('needs a reason', () => {
    expect(checkLifecycle('suspend', 'APPROVED', ' ')).toMatchObject({ ok: false, code: 'BAD_USER_INPUT' });
  });
});

describe('compliance expiry', () => {
  const audited = { compliance: 'COMPLIANT' as const, complianceAsOf: new Date('2025-02-28T12:00:00Z') };
  it('expires 12 calendar months after the audit, effective then', () => {
    expect(auditExpiresAt(audited.complianceAsOf).toISOString()).toBe('2026-02-28T12:00:00.000Z');
    expect(expiredCompliance(audited, new Date('2026-02-28T11:59:59Z'))).toBeNull();
    expect(expiredCompliance(audited, new Date('2026-02-28T12:00:00Z'))).toEqual({ compliance: 'EXPIRED', complianceAsOf: new Date('2026-02-28T12:00:00Z') });
  });
  it('leaves never-audited and already expired providers alone (so running twice is harmless)', () => {
    expect(expiredCompliance({ compliance: 'NOT_AUDITED', complianceAsOf: null }, new Date('2030-01-01'))).toBeNull();
    expect(expiredCompliance({ compliance: 'EXPIRED', complianceAsOf: new Date('2020-01-01') }, new Date('2030-01-01'))).toBeNull();
  });
});

describe('schools', () => {
  it('checks URN, name and LA code, naming the row', () => {
    expect(fieldsOf(checkSchool({ urn: '12', name: ' ', phase: 'PRIMARY', laCode: '86' }, 'input[2].'))).toEqual(['input[2].urn', 'input[2].name', 'input[2].laCode']);
    expect(checkSchool({ urn: ' 100001 ', name: 'Hill  Side', phase: 'PRIMARY', laCode: '865' })).toEqual({ ok: true, value: { urn: '100001', name: 'Hill Side', phase: 'PRIMARY', laCode: '865' } });
  });
  it('finds URNs given twice', () => {
    expect(duplicateUrns([{ urn: '100001' }, { urn: '100002' }, { urn: '100001 ' }])).toEqual(['100001']);
  });
});

describe('search', () => {
  it.each([
    [{ first: 0 }, ['first']],
    [{ first: 101 }, ['first']],
    [{ first: 100 }, []],
    [{ after: 'x' }, ['after']],
    [{ near: { latitude: 91, longitude: 0, withinKm: 5 } }, ['filter.near.latitude']],
    [{ near: { latitude: 51, longitude: 0, withinKm: 0 } }, ['filter.near.withinKm']],
    [{ maxPricePerDay: -1 }, ['filter.maxPricePerDay']],
  ])('checks %j → problems %j', (args, fields) => {
    expect(fieldsOf(checkSearch(args))).toEqual(fields);
  });
  it('round-trips cursors and continues after them', () => {
    expect(decodeCursor(encodeCursor(41))).toBe(41);
    expect(checkSearch({ after: encodeCursor(9) })).toEqual({ ok: true, first: 20, offset: 10 });
  });
  it('bounds every point within the distance', () => {
    const centre = { latitude: 51.35, longitude: -1.99, withinKm: 10 };
    const box = boundingBox(centre);
    for (const bearing of [0, 45, 90, 135, 180, 225, 270, 315]) {
      // a point 9.9 km away in each direction lies inside the box
      const d = 9.9 / 6371;
      const lat1 = (centre.latitude * Math.PI) / 180;
      const b = (bearing * Math.PI) / 180;
      const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(b));
      const lon2 = (centre.longitude * Math.PI) / 180 + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
      const p = { latitude: (lat2 * 180) / Math.PI, longitude: (lon2 * 180) / Math.PI };
      expect(haversineKm(centre, p)).toBeCloseTo(9.9, 3);
      expect(p.latitude).toBeGreaterThanOrEqual(box.minLat);
      expect(p.latitude).toBeLessThanOrEqual(box.maxLat);
      expect(p.longitude).toBeGreaterThanOrEqual(box.minLon);
      expect(p.longitude).toBeLessThanOrEqual(box.maxLon);
    }
  });
});
