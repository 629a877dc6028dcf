import fc from 'fast-check';
import { sampleLaCalendar } from './calendar-data';
import { addDays, fromDayNumber, toDayNumber } from './dates';
import { DomainRuleError } from './errors';
import {
  OFF_SITE_NOTICE_SCHOOL_DAYS,
  OFF_SITE_REVIEW_INTERVAL_WEEKS,
  offSiteDirectionEarliestStart,
  offSiteDirectionLatestNoticeDate,
  offSiteDirectionReviewDue,
  offSiteDirectionReviewRequestableFrom,
} from './off-site-direction';
import { expectDomainError } from '../test/helpers';

const calendar = sampleLaCalendar();

describe('offSiteDirectionEarliestStart (notice not less than two school days before)', () => {
  it.each([
    ['2025-01-13', '2025-01-15', 'notice on Monday: Wednesday'],
    ['2025-01-16', '2025-01-20', 'notice on Thursday: Monday'],
    ['2025-01-17', '2025-01-21', 'notice on Friday: Tuesday'],
    ['2025-01-18', '2025-01-22', 'notice on Saturday counts from Monday: Wednesday'],
    ['2024-12-20', '2025-01-08', 'notice on the last day before Christmas; 6 Jan is INSET'],
    ['2025-05-02', '2025-05-07', 'notice on Friday before the May bank holiday'],
    ['2025-10-24', '2025-11-04', 'notice on the last day before half term'],
  ])('notice %s: first day %s (%s)', (notice, first) => {
    expect(offSiteDirectionEarliestStart(notice, calendar)).toBe(first);
  });

  it('needs a calendar that reaches the start', () => {
    expectDomainError(() => offSiteDirectionEarliestStart('2028-07-20', calendar), 'CALENDAR_EXHAUSTED');
  });

  it('uses two school days', () => {
    expect(OFF_SITE_NOTICE_SCHOOL_DAYS).toBe(2);
  });
});

describe('offSiteDirectionLatestNoticeDate', () => {
  it.each([
    ['2025-01-15', '2025-01-13'],
    ['2025-01-20', '2025-01-16'],
    ['2025-01-08', '2024-12-20'],
  ])('provision from %s needs notice by %s', (first, notice) => {
    expect(offSiteDirectionLatestNoticeDate(first, calendar)).toBe(notice);
  });

  it('refuses a first day that is not a school day', () => {
    expectDomainError(() => offSiteDirectionLatestNoticeDate('2025-01-18', calendar), 'NOT_A_SCHOOL_DAY', /2025-01-18 is not a school day/);
    expectDomainError(() => offSiteDirectionLatestNoticeDate('2025-01-06', calendar), 'NOT_A_SCHOOL_DAY'); // INSET day
  });

  const dateInCalendar = fc.integer({ min: toDayNumber('2024-09-02'), max: toDayNumber('2028-07-14') }).map(fromDayNumber);

  it('is consistent with the earliest start, for any notice date (property)', () => {
    fc.assert(
      fc.property(dateInCalendar, (notice) => {
        const first = offSiteDirectionEarliestStart(notice, calendar);
        const latestNotice = offSiteDirectionLatestNoticeDate(first, calendar);
        // The latest permissible notice for that start is the notice day itself, or the school day it rolls to.
        expect(latestNotice).toBe(calendar.addSchoolDays(notice, 0));
        expect(calendar.schoolDaysBetween(notice, first)).toBe(3);
        // A day earlier would be too soon.
        expect(calendar.schoolDaysBetween(notice, addDays(first, -1))).toBeLessThan(3);
      }),
    );
  });
});

describe('offSiteDirectionReviewDue (review on request unless one in the preceding 10 weeks)', () => {
  it('is due when no review has been held', () => {
    expect(offSiteDirectionReviewDue('2025-02-03', [])).toBe(true);
  });

  it.each([
    ['2025-03-21', false, 'review exactly 70 days before the request is within the 10 weeks'],
    ['2025-03-22', true, '71 days after the review: no longer within the 10 weeks'],
    ['2025-02-01', false, 'three weeks after the review'],
    ['2025-01-11', false, 'the day after the review'],
    ['2025-01-10', true, 'a review on the request day does not precede it'],
    ['2025-01-09', true, 'a review after the request is ignored'],
  ])('review held 2025-01-10, request %s: due %s (%s)', (request, due) => {
    expect(offSiteDirectionReviewDue(request, ['2025-01-10'])).toBe(due);
  });

  it('looks at every review held, not just the first', () => {
    expect(offSiteDirectionReviewDue('2025-05-01', ['2024-11-01', '2025-03-01'])).toBe(false);
    expect(offSiteDirectionReviewDue('2025-05-20', ['2024-11-01', '2025-03-01'])).toBe(true);
  });

  it('refuses invalid input', () => {
    expectDomainError(() => offSiteDirectionReviewDue('2025-02-30', []), 'INVALID_DATE', /request date/);
    expectDomainError(() => offSiteDirectionReviewDue('2025-02-03', ['2025-13-01']), 'INVALID_DATE', /review date 1/);
    expectDomainError(() => offSiteDirectionReviewDue('2025-02-03', undefined as never), 'INVALID_ARGUMENT');
  });

  it('uses ten weeks', () => {
    expect(OFF_SITE_REVIEW_INTERVAL_WEEKS).toBe(10);
  });
});

describe('offSiteDirectionReviewRequestableFrom', () => {
  it('is null before any review, else 71 days after the latest review', () => {
    expect(offSiteDirectionReviewRequestableFrom([])).toBeNull();
    expect(offSiteDirectionReviewRequestableFrom(['2025-01-10'])).toBe('2025-03-22');
    expect(offSiteDirectionReviewRequestableFrom(['2025-01-10', '2024-12-01'])).toBe('2025-03-22');
  });

  it('is the first request date on which a review is due (property)', () => {
    const date = fc.integer({ min: toDayNumber('2024-01-01'), max: toDayNumber('2027-12-31') }).map(fromDayNumber);
    fc.assert(
      fc.property(fc.array(date, { minLength: 1, maxLength: 5 }), (reviews) => {
        const from = offSiteDirectionReviewRequestableFrom(reviews) as string;
        expect(offSiteDirectionReviewDue(from, reviews)).toBe(true);
        expect(offSiteDirectionReviewDue(addDays(from, -1), reviews)).toBe(false);
      }),
    );
  });

  it('refuses a non-list', () => {
    expect(() => offSiteDirectionReviewRequestableFrom('2025-01-10' as never)).toThrow(DomainRuleError);
  });
});
