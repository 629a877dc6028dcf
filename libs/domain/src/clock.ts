import type { IsoDate } from './dates';

/**
 * The platform's one clock. Rules take dates as arguments; the use cases that call them ask this
 * clock for "now" and "today", so a test can set the date once (`setClock`) instead of each
 * service keeping its own `new Date()`.
 */

let fixed: Date | undefined;

/** The current instant (a fresh Date each call, so callers may keep or change it). */
export function now(): Date {
  return fixed ? new Date(fixed.getTime()) : new Date();
}

/** Today's date in UTC, `YYYY-MM-DD`. */
export function today(): IsoDate {
  return now().toISOString().slice(0, 10);
}

/**
 * Stops the clock at an instant (a Date or anything `new Date()` reads, e.g. '2025-09-01' or an
 * ISO date-time); `undefined` lets it run again. For tests.
 */
export function setClock(at: Date | string | undefined): void {
  if (at === undefined) {
    fixed = undefined;
    return;
  }
  const instant = new Date(at);
  if (Number.isNaN(instant.getTime())) throw new RangeError(`setClock: "${String(at)}" is not a date or date-time`);
  fixed = instant;
}
