import { censusSetting, openOnCensusDay } from './census-ap';

describe('census AP setting', () => {
  it.each([
    [{ urn: '140001', ukprn: '10012345', registrationType: 'AP_ACADEMY' }, { urn: '140001', ukprn: null, typeOfSetting: null }],
    [{ urn: null, ukprn: '10012345', registrationType: 'FE_COLLEGE' }, { urn: null, ukprn: '10012345', typeOfSetting: null }],
    [{ urn: null, ukprn: null, registrationType: 'FE_COLLEGE' }, { urn: null, ukprn: null, typeOfSetting: 'NFE' }],
    [{ urn: null, ukprn: null, registrationType: 'UNREGISTERED' }, { urn: null, ukprn: null, typeOfSetting: 'OTH' }],
  ])('%j → %j (only one of URN, UKPRN, type)', (provider, expected) => {
    expect(censusSetting(provider)).toEqual(expected);
  });

  it.each([
    ['2026-01-05', null, '2026-01-15', true],
    ['2026-01-15', null, '2026-01-15', true],
    ['2026-01-16', null, '2026-01-15', false],
    ['2026-01-05', '2026-01-15', '2026-01-15', true],
    ['2026-01-05', '2026-01-14', '2026-01-15', false],
  ])('entered %s, left %s: open on %s is %s', (entry, leaving, census, expected) => {
    expect(openOnCensusDay(entry, leaving, census)).toBe(expected);
  });
});
