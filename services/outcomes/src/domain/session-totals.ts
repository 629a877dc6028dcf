/** A day's (or a running total's) attendance as session counts (DfE definitions). */
export interface SessionTotals {
  possible: number;
  attended: number;
  authorised: number;
  unauthorised: number;
}

/**
 * What a day summary adds to the running totals: the day as now published less what was counted
 * for it before (nothing, the first time). A correction can take sessions away (negative).
 */
export function sessionChange(before: SessionTotals | null, after: SessionTotals): SessionTotals {
  return {
    possible: after.possible - (before?.possible ?? 0),
    attended: after.attended - (before?.attended ?? 0),
    authorised: after.authorised - (before?.authorised ?? 0),
    unauthorised: after.unauthorised - (before?.unauthorised ?? 0),
  };
}

/** Whether a re-published day replaces the one counted: only a strictly newer asOf does. */
export const replacesDay = (countedAsOf: Date | null, publishedAsOf: Date): boolean => countedAsOf === null || publishedAsOf.getTime() > countedAsOf.getTime();
