/**
 * The DfE's overall attendance rate: sessions attended (present, or an approved educational
 * activity) as a percentage of possible sessions (every session except those coded X, Z, #, which
 * are not possible sessions). The absence rate is its complement. Null when no session was
 * possible, since 0 % would say the pupil was absent.
 * Source: DfE "Pupil absence in schools in England", methodology ("overall absence rate").
 */
export function attendanceRatePercent(attendedSessions: number, possibleSessions: number): number | null {
  if (!Number.isFinite(attendedSessions) || !Number.isFinite(possibleSessions) || attendedSessions < 0 || possibleSessions < 0) {
    throw new RangeError(`Session totals must be non-negative numbers (attended ${attendedSessions}, possible ${possibleSessions})`);
  }
  if (attendedSessions > possibleSessions) throw new RangeError(`Attended sessions (${attendedSessions}) cannot exceed possible sessions (${possibleSessions})`);
  if (possibleSessions === 0) return null;
  return (attendedSessions / possibleSessions) * 100;
}
