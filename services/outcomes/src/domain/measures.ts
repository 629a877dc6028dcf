import { attendanceRatePercent } from '@ap/domain';

/**
 * The national AP performance framework's measures, each defined once here from plain totals.
 * The read model's SQL only counts and sums (outcomes.ts, TOTALS); every ratio is made here, for
 * a group of placements (apOutcomes) and for one placement (outcomeRows, the CSV) alike.
 */
export interface OutcomeTotals {
  /** Distinct pupils among the placements. */
  pupils: number;
  placementsStarted: number;
  placementsEnded: number;
  /** Ended with the pupil back in a mainstream school. */
  placementsReintegrated: number;
  possibleSessions: number;
  attendedSessions: number;
  /** The sessions of the placements whose attendance at referral is known (for attendanceChange). */
  possibleSessionsWithReferralAttendance: number;
  attendedSessionsWithReferralAttendance: number;
  /** The sum and count of those placements' attendance at referral (percent). */
  referralAttendanceSum: number;
  referralAttendanceCount: number;
  /** Started placements with a qualification in both English and maths. */
  englishAndMathsAchieved: number;
  /** Distinct pupils with a post-16 destination recorded, and of them in education, employment or training, and NEET. */
  destinationsRecorded: number;
  destinationsEet: number;
  destinationsNeet: number;
  suspensions: number;
  /** Calendar days from referral accepted to placement started, summed over the placements with both. */
  daysToStartSum: number;
  daysToStartCount: number;
  /** Permanent exclusions with a day-6 deadline and a started placement; of them, started by day 6. */
  day6Cases: number;
  day6Met: number;
}

export interface OutcomeMeasures {
  pupils: number;
  placementsStarted: number;
  placementsEnded: number;
  possibleSessions: number;
  attendedSessions: number;
  /** DfE overall attendance rate in AP, percent. */
  attendanceRate: number | null;
  /** Percentage points: AP attendance of the placements whose attendance at referral is known, less their mean attendance at referral. */
  attendanceChange: number | null;
  /** Percent of ended placements that ended REINTEGRATED_MAINSTREAM. */
  reintegrationRate: number | null;
  /** Percent of started placements with a qualification in both English and maths. */
  englishAndMathsAchieved: number | null;
  /** Percent of pupils with a recorded post-16 destination who are in education, employment or training; and NEET. */
  eetRate: number | null;
  neetRate: number | null;
  suspensionsDuringPlacement: number;
  /** Mean calendar days from referral accepted to placement started. */
  averageDaysToStart: number | null;
  /** Percent of permanent exclusions whose placement started on or before day 6. */
  day6Met: number | null;
}

/** One decimal place, as the dashboards show figures (and the CSV gives the same). */
export const oneDecimal = (x: number | null): number | null => (x === null ? null : Math.round(x * 10) / 10);

/** part of whole as a percent; null when there is no whole to be a share of. */
export const percentOf = (part: number, whole: number): number | null => (whole > 0 ? (part / whole) * 100 : null);

export function outcomeMeasures(t: OutcomeTotals): OutcomeMeasures {
  const apRateWithReferral = attendanceRatePercent(t.attendedSessionsWithReferralAttendance, t.possibleSessionsWithReferralAttendance);
  const meanAtReferral = t.referralAttendanceCount > 0 ? t.referralAttendanceSum / t.referralAttendanceCount : null;
  return {
    pupils: t.pupils,
    placementsStarted: t.placementsStarted,
    placementsEnded: t.placementsEnded,
    possibleSessions: t.possibleSessions,
    attendedSessions: t.attendedSessions,
    attendanceRate: oneDecimal(attendanceRatePercent(t.attendedSessions, t.possibleSessions)),
    attendanceChange: oneDecimal(apRateWithReferral === null || meanAtReferral === null ? null : apRateWithReferral - meanAtReferral),
    reintegrationRate: oneDecimal(percentOf(t.placementsReintegrated, t.placementsEnded)),
    englishAndMathsAchieved: oneDecimal(percentOf(t.englishAndMathsAchieved, t.placementsStarted)),
    eetRate: oneDecimal(percentOf(t.destinationsEet, t.destinationsRecorded)),
    neetRate: oneDecimal(percentOf(t.destinationsNeet, t.destinationsRecorded)),
    suspensionsDuringPlacement: t.suspensions,
    averageDaysToStart: oneDecimal(t.daysToStartCount > 0 ? t.daysToStartSum / t.daysToStartCount : null),
    day6Met: oneDecimal(percentOf(t.day6Met, t.day6Cases)),
  };
}

/** Destinations that count as education, employment or training. */
export const EET_DESTINATIONS = ['EDUCATION', 'EMPLOYMENT', 'TRAINING'] as const;
