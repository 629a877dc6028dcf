import { addDays, compareDates, IsoDate, isWeekend } from '@ap/domain';

/** Why a pupil is on the LA's CAFE (children absent from education) review list. */
export type CafeReason = 'PART_TIME_TIMETABLE' | 'PAST_DAY_6_WITHOUT_PLACEMENT' | 'NO_MARK_FOR_10_SCHOOL_DAYS';

/** Ten school days without an attendance mark is the statutory trigger for an LA's enquiry. */
export const SCHOOL_DAYS_WITHOUT_MARK = 10;

export interface CafeFacts {
  /** The pupil's placements that have started and neither ended nor been cancelled. */
  activePlacements: { fullTime: boolean | null; startedOn: IsoDate; lastMarkOn: IsoDate | null }[];
  /** Day-6 deadlines of the pupil's permanent exclusions not followed by a started placement. */
  unmetDay6Deadlines: IsoDate[];
}

/**
 * School days (Monday to Friday) after `after` up to and including `through`. Outcomes has no LA
 * calendar, so holidays count as school days here: a pupil may be listed in a holiday, never missed.
 */
export function weekdaysAfter(after: IsoDate, through: IsoDate): number {
  let n = 0;
  for (let d = addDays(after, 1); compareDates(d, through) <= 0; d = addDays(d, 1)) if (!isWeekend(d)) n++;
  return n;
}

/** Why the pupil is not in full-time education today, as the CAFE review asks; empty when they are. */
export function cafeReasons(facts: CafeFacts, today: IsoDate): CafeReason[] {
  const reasons: CafeReason[] = [];
  if (facts.activePlacements.some((p) => p.fullTime === false)) reasons.push('PART_TIME_TIMETABLE');
  if (facts.unmetDay6Deadlines.some((deadline) => compareDates(deadline, today) < 0)) reasons.push('PAST_DAY_6_WITHOUT_PLACEMENT');
  const unmarked = facts.activePlacements.some((p) => {
    // Without any mark, the school days count from the first day of the placement.
    const since = p.lastMarkOn ?? addDays(p.startedOn, -1);
    return weekdaysAfter(since, today) >= SCHOOL_DAYS_WITHOUT_MARK;
  });
  if (unmarked) reasons.push('NO_MARK_FOR_10_SCHOOL_DAYS');
  return reasons;
}
