import { academicYearBounds, schoolUsageFigures } from './usage';

describe('academicYearBounds', () => {
  it.each([
    ['2025/26', { from: '2025-09-01', to: '2026-08-31' }],
    ['1999/00', { from: '1999-09-01', to: '2000-08-31' }],
    ['2025/27', null],
    ['2025-26', null],
  ])('%s → %j', (label, expected) => {
    expect(academicYearBounds(label)).toEqual(expected);
  });
});

describe('schoolUsageFigures', () => {
  it('turns sessions into days and spend (the worked example)', () => {
    // Two placements: 19 sessions at £100 a day and 6 sessions at £80.50 a day.
    expect(schoolUsageFigures(25, 19 * 100 + 6 * 80.5)).toEqual({ pupilDaysInAp: 12.5, spend: 1191.5 });
  });
});
