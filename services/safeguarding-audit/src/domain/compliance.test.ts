import { sampleLaCalendar } from '@ap/domain';
import { actionStatus, auditExpiresOn, ComplianceFacts, deriveCompliance, ProviderCompliance, schoolDaysOverdue } from './compliance';

const calendar = sampleLaCalendar();
const TODAY = '2026-03-02'; // a Monday in the spring term
const schoolDaysAgo = (n: number) => calendar.addSchoolDays(TODAY, -n);
const schoolDaysAhead = (n: number) => calendar.addSchoolDays(TODAY, n);

const audit = (overallRating: 'GREEN' | 'AMBER' | 'RED', completedOn = '2026-01-15') => ({ overallRating, completedOn });
const action = (dueDate: string, closed = false) => ({ description: 'Update the single central record', dueDate, closed });
const visit = (type: string, rating: 'GREEN' | 'AMBER' | 'RED', visitedOn = '2026-02-10') => ({ type, visitedOn, findings: [{ rating: 'GREEN' as const }, { rating }] });

type Row = [string, Partial<ComplianceFacts>, ProviderCompliance];

// Every combination the issue lists, with the edges of each (12 months, 20 school days, visit before/after the audit).
const ROWS: Row[] = [
  ['never audited, listed 3 months ago', { latestAudit: null, knownSince: '2025-12-01' }, 'NOT_AUDITED'],
  ['never audited, listed exactly 12 months ago', { latestAudit: null, knownSince: '2025-03-02' }, 'EXPIRED'],
  ['never audited, listed 12 months ago less a day', { latestAudit: null, knownSince: '2025-03-03' }, 'NOT_AUDITED'],
  ['GREEN, no action', { latestAudit: audit('GREEN') }, 'COMPLIANT'],
  ['GREEN, every action done (even long after its due date)', { latestAudit: audit('GREEN'), actions: [action('2025-10-01', true)] }, 'COMPLIANT'],
  ['GREEN, an open action not yet due', { latestAudit: audit('GREEN'), actions: [action(schoolDaysAhead(10))] }, 'ACTION_REQUIRED'],
  ['GREEN, an open action due today', { latestAudit: audit('GREEN'), actions: [action(TODAY)] }, 'ACTION_REQUIRED'],
  ['GREEN, an open action overdue by 1 school day', { latestAudit: audit('GREEN'), actions: [action(schoolDaysAgo(1))] }, 'ACTION_REQUIRED'],
  ['GREEN, an open action overdue by exactly 20 school days', { latestAudit: audit('GREEN'), actions: [action(schoolDaysAgo(20))] }, 'ACTION_REQUIRED'],
  ['GREEN, an open action overdue by 21 school days', { latestAudit: audit('GREEN'), actions: [action(schoolDaysAgo(21))] }, 'NON_COMPLIANT'],
  ['GREEN, one action done and one overdue by 21 school days', { latestAudit: audit('GREEN'), actions: [action(schoolDaysAgo(30), true), action(schoolDaysAgo(21))] }, 'NON_COMPLIANT'],
  ['AMBER, no action', { latestAudit: audit('AMBER') }, 'ACTION_REQUIRED'],
  ['AMBER, its action open and not yet due', { latestAudit: audit('AMBER'), actions: [action(schoolDaysAhead(5))] }, 'ACTION_REQUIRED'],
  ['AMBER, its action done', { latestAudit: audit('AMBER'), actions: [action(schoolDaysAgo(3), true)] }, 'ACTION_REQUIRED'],
  ['AMBER, its action overdue by 21 school days', { latestAudit: audit('AMBER'), actions: [action(schoolDaysAgo(21))] }, 'NON_COMPLIANT'],
  ['RED, its action open and not yet due', { latestAudit: audit('RED'), actions: [action(schoolDaysAhead(10))] }, 'NON_COMPLIANT'],
  ['RED, its action done', { latestAudit: audit('RED'), actions: [action(schoolDaysAgo(1), true)] }, 'NON_COMPLIANT'],
  ['GREEN, a RED finding on a safeguarding visit after the audit', { latestAudit: audit('GREEN'), visits: [visit('SAFEGUARDING', 'RED')] }, 'NON_COMPLIANT'],
  ['GREEN, a RED finding on a safeguarding visit on the audit’s day', { latestAudit: audit('GREEN'), visits: [visit('SAFEGUARDING', 'RED', '2026-01-15')] }, 'NON_COMPLIANT'],
  ['GREEN, a RED finding on a safeguarding visit before the audit', { latestAudit: audit('GREEN'), visits: [visit('SAFEGUARDING', 'RED', '2026-01-14')] }, 'COMPLIANT'],
  ['GREEN, an AMBER finding on a safeguarding visit', { latestAudit: audit('GREEN'), visits: [visit('SAFEGUARDING', 'AMBER')] }, 'COMPLIANT'],
  ['GREEN, a RED finding on a health-and-safety visit', { latestAudit: audit('GREEN'), visits: [visit('HEALTH_AND_SAFETY', 'RED')] }, 'COMPLIANT'],
  ['never audited, a RED finding on a safeguarding visit', { latestAudit: null, knownSince: '2025-12-01', visits: [visit('SAFEGUARDING', 'RED')] }, 'NON_COMPLIANT'],
  ['GREEN audit completed exactly 12 months ago', { latestAudit: audit('GREEN', '2025-03-02') }, 'EXPIRED'],
  ['GREEN audit completed 12 months ago less a day', { latestAudit: audit('GREEN', '2025-03-03') }, 'COMPLIANT'],
  ['AMBER audit completed 13 months ago', { latestAudit: audit('AMBER', '2025-02-01') }, 'EXPIRED'],
  ['RED audit completed 13 months ago', { latestAudit: audit('RED', '2025-02-01') }, 'EXPIRED'],
  ['GREEN audit 13 months ago, an action overdue by 21 school days', { latestAudit: audit('GREEN', '2025-02-01'), actions: [action(schoolDaysAgo(21))] }, 'NON_COMPLIANT'],
  ['GREEN audit 13 months ago, a RED safeguarding finding since', { latestAudit: audit('GREEN', '2025-02-01'), visits: [visit('SAFEGUARDING', 'RED')] }, 'NON_COMPLIANT'],
];

describe('deriveCompliance', () => {
  it.each(ROWS)('%s → %s', (_label, facts, expected) => {
    const verdict = deriveCompliance({ today: TODAY, knownSince: '2024-09-01', latestAudit: null, actions: [], visits: [], ...facts }, calendar);
    expect(verdict.compliance).toBe(expected);
    expect(verdict.reason.length).toBeGreaterThan(5);
  });

  it('names the overdue action and its school days in the reason', () => {
    const due = schoolDaysAgo(21);
    expect(deriveCompliance({ today: TODAY, knownSince: '2024-09-01', latestAudit: audit('GREEN'), actions: [action(due)], visits: [] }, calendar).reason).toBe(
      `The action “Update the single central record” was due on ${due} and is 21 school days overdue (more than 20)`,
    );
  });
});

describe('schoolDaysOverdue', () => {
  it('is 0 on or before the due date', () => {
    expect(schoolDaysOverdue(TODAY, TODAY, calendar)).toBe(0);
    expect(schoolDaysOverdue('2026-03-05', TODAY, calendar)).toBe(0);
  });
  it('counts school days only: the half-term week (16–20 Feb 2026) does not count', () => {
    // Due Friday 13 Feb; Monday 2 March is 6 school days later (23 Feb to 2 Mar).
    expect(schoolDaysOverdue('2026-02-13', '2026-03-02', calendar)).toBe(6);
  });
  it('counts weekdays past the end of the LA calendar rather than failing', () => {
    expect(schoolDaysOverdue('2028-09-01', '2028-09-15', calendar)).toBe(10);
  });
});

describe('actionStatus', () => {
  it.each([
    [{ dueDate: TODAY, closed: false }, 'OPEN'],
    [{ dueDate: '2026-02-27', closed: false }, 'OVERDUE'],
    [{ dueDate: '2026-02-27', closed: true }, 'DONE'],
  ] as const)('%o is %s', (a, status) => expect(actionStatus(a, TODAY)).toBe(status));
});

describe('auditExpiresOn', () => {
  it('is the same day a year on, and 28 February for a leap day', () => {
    expect(auditExpiresOn('2026-03-02')).toBe('2027-03-02');
    expect(auditExpiresOn('2028-02-29')).toBe('2029-02-28');
  });
});
