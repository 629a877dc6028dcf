import { cafeReasons, weekdaysAfter } from './cafe';

// 2026-01-05 is a Monday.
describe('weekdaysAfter', () => {
  it.each([
    ['2026-01-05', '2026-01-05', 0],
    ['2026-01-05', '2026-01-06', 1],
    ['2026-01-09', '2026-01-12', 1], // Friday → Monday: the weekend does not count
    ['2026-01-02', '2026-01-16', 10],
  ])('after %s through %s: %d', (after, through, n) => {
    expect(weekdaysAfter(after, through)).toBe(n);
  });
});

describe('cafeReasons', () => {
  const fullTime = { fullTime: true, startedOn: '2026-01-05', lastMarkOn: '2026-01-15' };

  it('lists nobody in full-time provision with recent marks', () => {
    expect(cafeReasons({ activePlacements: [fullTime], unmetDay6Deadlines: [] }, '2026-01-16')).toEqual([]);
  });

  it('lists a part-time timetable', () => {
    expect(cafeReasons({ activePlacements: [{ ...fullTime, fullTime: false }], unmetDay6Deadlines: [] }, '2026-01-16')).toEqual(['PART_TIME_TIMETABLE']);
  });

  it('lists a permanent exclusion past day 6 without a placement, not on day 6 itself', () => {
    expect(cafeReasons({ activePlacements: [], unmetDay6Deadlines: ['2026-01-12'] }, '2026-01-12')).toEqual([]);
    expect(cafeReasons({ activePlacements: [], unmetDay6Deadlines: ['2026-01-12'] }, '2026-01-13')).toEqual(['PAST_DAY_6_WITHOUT_PLACEMENT']);
  });

  it('lists 10 school days without a mark, counted from the last mark or else the start', () => {
    // Last mark Friday 2 January: 9 school days to Thursday 15th, 10 to Friday 16th.
    const lastMarked = { fullTime: true, startedOn: '2025-12-01', lastMarkOn: '2026-01-02' };
    expect(cafeReasons({ activePlacements: [lastMarked], unmetDay6Deadlines: [] }, '2026-01-15')).toEqual([]);
    expect(cafeReasons({ activePlacements: [lastMarked], unmetDay6Deadlines: [] }, '2026-01-16')).toEqual(['NO_MARK_FOR_10_SCHOOL_DAYS']);
    // Never marked, started Monday 5th: its 10th school day is Friday 16th.
    const never = { fullTime: true, startedOn: '2026-01-05', lastMarkOn: null };
    expect(cafeReasons({ activePlacements: [never], unmetDay6Deadlines: [] }, '2026-01-15')).toEqual([]);
    expect(cafeReasons({ activePlacements: [never], unmetDay6Deadlines: [] }, '2026-01-16')).toEqual(['NO_MARK_FOR_10_SCHOOL_DAYS']);
  });

  it('gives every reason that applies', () => {
    const facts = { activePlacements: [{ fullTime: false, startedOn: '2025-11-03', lastMarkOn: null }], unmetDay6Deadlines: ['2025-10-01'] };
    expect(cafeReasons(facts, '2026-01-16')).toEqual(['PART_TIME_TIMETABLE', 'PAST_DAY_6_WITHOUT_PLACEMENT', 'NO_MARK_FOR_10_SCHOOL_DAYS']);
  });
});
