import { parseIsoDate } from '@ap/domain';

/** Attendance is kept in sessions; a school day has two (AM and PM). */
export const SESSIONS_PER_DAY = 2;

/** The first and last day of an academic year written as DfE writes it ("2025/26": 1 Sept 2025 to 31 Aug 2026). */
export function academicYearBounds(label: string): { from: string; to: string } | null {
  const m = /^(\d{4})\/(\d{2})$/.exec(label);
  if (!m) return null;
  const start = Number(m[1]);
  if ((start + 1) % 100 !== Number(m[2])) return null;
  parseIsoDate(`${start}-09-01`);
  return { from: `${start}-09-01`, to: `${start + 1}-08-31` };
}

/** A school's days in AP and spend: cost per day × days attended, from sessions attended (and Σ sessions × cost per day). */
export function schoolUsageFigures(attendedSessions: number, sessionsTimesCostPerDay: number): { pupilDaysInAp: number; spend: number } {
  return {
    pupilDaysInAp: attendedSessions / SESSIONS_PER_DAY,
    spend: Math.round((sessionsTimesCostPerDay / SESSIONS_PER_DAY) * 100) / 100,
  };
}
