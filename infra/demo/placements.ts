/**
 * Demo placements (issue 10), so `npm start` shows placements in each state, reviews due (one
 * overdue) and a provider flagged as having to register as an independent school, and (issue 11)
 * the last school day's register with an unexplained absence alerting the school. Made through the
 * gateway as the school, the LA and the provider would; remembered in .run/demo-placements.json.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleLaCalendar, today } from '@ap/domain';
import { eventually, makeUpn } from '@ap/testing';

type Call = (token: string, query: string, variables?: Record<string, unknown>) => Promise<any>;

const FULL_WEEK = ['MON', 'TUE', 'WED', 'THU', 'FRI'].map((day) => ({ day, start: '09:00', end: '15:00' }));
const TWO_DAYS = FULL_WEEK.slice(0, 2);
const CREATE = `mutation($input: CreatePlacementInput!) { createPlacement(input: $input) { id } }`;
const START = `mutation($id: ID!, $startDate: Date) { startPlacement(id: $id, startDate: $startDate) { id } }`;

export interface DemoPlacements {
  active: string[];
  partTime: string;
  ended: string;
  cancelled: string;
}

export async function seedPlacements(
  call: Call,
  tokens: { school: string; provider: string },
  providerId: string,
  stateFile = join(__dirname, '..', '..', '.run', 'demo-placements.json'),
): Promise<DemoPlacements> {
  if (existsSync(stateFile)) {
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as DemoPlacements & { providerId: string };
    if (state.providerId === providerId) return state;
  }
  const calendar = sampleLaCalendar();
  const began = calendar.addSchoolDays(today(), -25);
  const pupil = async (givenName: string) => {
    const upn = makeUpn();
    const { registerPupil } = await call(tokens.school, `mutation($input: RegisterPupilInput!) { registerPupil(input: $input) { id } }`, {
      input: { upn, givenName, familyName: 'Demo', dateOfBirth: '2011-06-01', homeLaCode: '865' },
    });
    return { pupilId: registerPupil.id as string, upn };
  };
  const create = async (givenName: string, extra: Record<string, unknown>) => {
    // The UPN too, so that the school's MIS can push attendance for the pupil (pushAttendance).
    const { pupilId, upn } = await pupil(givenName);
    const input = { pupilId, upn, providerId, type: 'SCHOOL_COMMISSIONED', plannedStartDate: began, timetable: FULL_WEEK, costPerDay: 95, ...extra };
    // The first waits until the placement service has heard of the provider's approval.
    return (await eventually(() => call(tokens.school, CREATE, { input }))).createPlacement.id as string;
  };
  const start = (id: string) => call(tokens.provider, START, { id, startDate: began });

  // Five full-time pupils at an unregistered provider: it must register as an independent school.
  // The first review of the first is overdue; one is open-ended, so flagged (over 12 weeks at 10 sessions a week).
  const active: string[] = [];
  const names = ['Jordan', 'Riley', 'Casey', 'Morgan', 'Taylor'];
  for (const [i, name] of names.entries()) {
    const id = await create(name, i === 0 ? { firstReviewDate: calendar.addSchoolDays(today(), -3) } : { plannedEndDate: i === 1 ? null : calendar.addSchoolDays(began, 55) });
    await start(id);
    active.push(id);
  }
  // Attendance (issue 11): the provider's register of the last school day's morning; Casey is
  // absent with no reason yet (N), which raises an absence alert for the school and the LA.
  await call(tokens.provider, `mutation($input: RecordAttendanceRegisterInput!) { recordAttendanceRegister(input: $input) { code } }`, {
    input: { providerId, date: calendar.addSchoolDays(today(), -1), session: 'AM', marks: active.map((placementId, i) => ({ placementId, code: i === 2 ? 'N' : '/' })) },
  });
  const partTime = await create('Quinn', {
    timetable: TWO_DAYS,
    plannedEndDate: calendar.addSchoolDays(today(), 30),
    firstReviewDate: calendar.addSchoolDays(today(), 5),
  });
  await start(partTime);
  const ended = await create('Avery', { plannedEndDate: calendar.addSchoolDays(began, 55) });
  await start(ended);
  await call(tokens.school, `mutation($id: ID!, $input: RecordReviewInput!) { recordReview(placementId: $id, input: $input) { id } }`, {
    id: ended,
    input: {
      heldOn: calendar.addSchoolDays(today(), -1),
      decision: 'REINTEGRATE',
      pupilVoice: 'Ready to go back',
      reintegrationPlan: { targetDate: today(), schoolUrn: '100001', steps: ['Two mornings a week back at school', 'Full return'] },
    },
  });
  await call(tokens.school, `mutation($id: ID!, $input: EndPlacementInput!) { endPlacement(id: $id, input: $input) { id } }`, {
    id: ended,
    input: { endDate: today(), endReason: 'REINTEGRATED_MAINSTREAM', destinationUrn: '100001' },
  });
  const cancelled = await create('Rowan', { plannedStartDate: calendar.addSchoolDays(today(), 5) });
  await call(tokens.school, `mutation($id: ID!, $reason: String!) { cancelPlacement(id: $id, reason: $reason) { id } }`, {
    id: cancelled,
    reason: 'The family moved out of the area before the start',
  });
  const state = { providerId, active, partTime, ended, cancelled };
  writeFileSync(stateFile, JSON.stringify(state, null, 2));
  return state;
}
