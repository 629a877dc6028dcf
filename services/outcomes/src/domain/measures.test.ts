import { OutcomeTotals, outcomeMeasures, percentOf } from './measures';

const none: OutcomeTotals = {
  pupils: 0, placementsStarted: 0, placementsEnded: 0, placementsReintegrated: 0, possibleSessions: 0, attendedSessions: 0,
  possibleSessionsWithReferralAttendance: 0, attendedSessionsWithReferralAttendance: 0, referralAttendanceSum: 0, referralAttendanceCount: 0,
  englishAndMathsAchieved: 0, destinationsRecorded: 0, destinationsEet: 0, destinationsNeet: 0, suspensions: 0,
  daysToStartSum: 0, daysToStartCount: 0, day6Cases: 0, day6Met: 0,
};

describe('outcomeMeasures', () => {
  it('works the framework out for one provider’s term (the worked example)', () => {
    // 4 pupils, 4 placements started, 3 ended (2 back in mainstream). 120 possible sessions, 96 attended.
    // 3 placements have attendance at referral (60, 50, 70 → mean 60) with 90 possible, 72 attended (80 %).
    // Placements 1 and 2 have English and maths; 3 destinations: EDUCATION, TRAINING, NEET.
    // Days to start: 3, 5, 10 (one was commissioned directly); permanent exclusions: 2, one started by day 6.
    const m = outcomeMeasures({
      ...none,
      pupils: 4, placementsStarted: 4, placementsEnded: 3, placementsReintegrated: 2,
      possibleSessions: 120, attendedSessions: 96,
      possibleSessionsWithReferralAttendance: 90, attendedSessionsWithReferralAttendance: 72, referralAttendanceSum: 180, referralAttendanceCount: 3,
      englishAndMathsAchieved: 2, destinationsRecorded: 3, destinationsEet: 2, destinationsNeet: 1, suspensions: 1,
      daysToStartSum: 18, daysToStartCount: 3, day6Cases: 2, day6Met: 1,
    });
    expect(m).toEqual({
      pupils: 4, placementsStarted: 4, placementsEnded: 3, possibleSessions: 120, attendedSessions: 96,
      attendanceRate: 80,
      attendanceChange: 20, // 80 % in AP against 60 % at referral
      reintegrationRate: 66.7,
      englishAndMathsAchieved: 50,
      eetRate: 66.7,
      neetRate: 33.3,
      suspensionsDuringPlacement: 1,
      averageDaysToStart: 6,
      day6Met: 50,
    });
  });

  it('answers null, not 0, for a ratio with nothing to be a share of', () => {
    const m = outcomeMeasures(none);
    expect([m.attendanceRate, m.attendanceChange, m.reintegrationRate, m.englishAndMathsAchieved, m.eetRate, m.neetRate, m.averageDaysToStart, m.day6Met]).toEqual(
      [null, null, null, null, null, null, null, null],
    );
    expect(m.suspensionsDuringPlacement).toBe(0);
  });

  it('gives a fall in attendance as a negative change', () => {
    const m = outcomeMeasures({ ...none, possibleSessionsWithReferralAttendance: 10, attendedSessionsWithReferralAttendance: 5, referralAttendanceSum: 75, referralAttendanceCount: 1 });
    expect(m.attendanceChange).toBe(-25);
  });

  it.each([
    [1, 3, 33.33333333333333],
    [0, 5, 0],
    [2, 0, null],
  ])('percentOf(%d, %d) = %s', (part, whole, expected) => {
    expect(percentOf(part, whole)).toBe(expected);
  });
});
