import { attendanceRatePercent } from './attendance-rate';

describe('attendanceRatePercent (DfE overall attendance rate)', () => {
  it.each([
    // A term of 10 days: 20 possible sessions, 17 attended → 85 %.
    [17, 20, 85],
    [0, 20, 0],
    [20, 20, 100],
    [1, 4, 25],
  ])('%d attended of %d possible → %d %%', (attended, possible, expected) => {
    expect(attendanceRatePercent(attended, possible)).toBe(expected);
  });

  it('is null when no session was possible (not 0 %)', () => {
    expect(attendanceRatePercent(0, 0)).toBeNull();
  });

  it('refuses totals that cannot be', () => {
    expect(() => attendanceRatePercent(3, 2)).toThrow(RangeError);
    expect(() => attendanceRatePercent(-1, 2)).toThrow(RangeError);
  });
});
