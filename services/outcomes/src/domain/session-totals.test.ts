import { replacesDay, sessionChange } from './session-totals';

describe('sessionChange', () => {
  it('counts a first summary of the day in full', () => {
    expect(sessionChange(null, { possible: 2, attended: 1, authorised: 0, unauthorised: 1 })).toEqual({ possible: 2, attended: 1, authorised: 0, unauthorised: 1 });
  });

  it('adds only the difference when marks are corrected (N then present: +2 attended, −2 unauthorised)', () => {
    expect(sessionChange({ possible: 2, attended: 0, authorised: 0, unauthorised: 2 }, { possible: 2, attended: 2, authorised: 0, unauthorised: 0 })).toEqual({
      possible: 0,
      attended: 2,
      authorised: 0,
      unauthorised: -2,
    });
  });

  it('takes sessions away when a day stops being possible (coded X)', () => {
    expect(sessionChange({ possible: 2, attended: 2, authorised: 0, unauthorised: 0 }, { possible: 0, attended: 0, authorised: 0, unauthorised: 0 })).toEqual({
      possible: -2,
      attended: -2,
      authorised: 0,
      unauthorised: 0,
    });
  });
});

describe('replacesDay', () => {
  const t = (iso: string) => new Date(iso);
  it.each([
    [null, '2025-09-11T10:00:00Z', true],
    ['2025-09-11T10:00:00Z', '2025-09-11T15:00:00Z', true],
    ['2025-09-11T15:00:00Z', '2025-09-11T12:00:00Z', false],
    ['2025-09-11T15:00:00Z', '2025-09-11T15:00:00Z', false],
  ])('counted as of %s, published as of %s → %s', (counted, published, expected) => {
    expect(replacesDay(counted === null ? null : t(counted), t(published))).toBe(expected);
  });
});
