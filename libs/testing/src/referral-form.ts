/**
 * The sections of the single referral form, complete and valid (dates for a clock set in early
 * 2026): what a school fills in before it submits. Spread into saveReferralDraft's input.
 */
export const REFERRAL_FORM_SECTIONS = {
  needsAndStrengths: 'Strong at art and sport; struggles in large groups',
  risks: 'Absconds when anxious',
  riskLevel: 'MEDIUM',
  interventionsTried: 'Mentoring, reduced timetable',
  currentAttendancePercent: 72.5,
  outcomesWanted: 'Return to mainstream within two terms',
  proposedStartDate: '2026-02-02',
  hoursWanted: 25,
  pupilVoice: 'Wants smaller classes',
  parentVoice: 'Supportive of the move',
  consent: { parentalConsent: true, givenBy: 'Mrs Jones (mother)', givenOn: '2026-01-12', dataSharingAgreed: true },
};
