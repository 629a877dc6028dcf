import { planUpsert, UpsertRow } from './upsert';

const school = '100001';
const details = (upn: string, givenName = 'Sam') => ({ upn, givenName, familyName: 'Jones', dateOfBirth: '2011-03-14', homeLaCode: '865' });
const none = { senStatus: 'NONE' as const, hasSocialWorker: false, pupilPremium: false, lookedAfter: false };
const row = (index: number, upn: string, extra: Partial<UpsertRow> = {}): UpsertRow => ({ index, upn, details: details(upn), circumstances: none, problems: [], ...extra });
const known = (upn: string, over = {}) => ({ id: `id-${upn}`, ...details(upn), registeredBySchoolUrn: school, ...none, ...over });
const link = (k: { homeLaCode: string | null; givenName: string }, given: { givenName: string }) =>
  k.givenName === given.givenName ? { homeLaCode: k.homeLaCode, registeredBySchoolUrn: school } : null;
let n = 0;
const newId = () => `new-${++n}`;

describe('planUpsert', () => {
  it('creates the new, leaves the same unchanged, updates the changed, rejects the invalid, in input order', () => {
    const plan = planUpsert(
      [row(0, 'A1'), row(1, 'B2'), row(2, 'C3', { circumstances: { ...none, lookedAfter: true } }), { index: 3, upn: 'bad', problems: [{ field: 'upn', message: 'wrong' }] }],
      [known('B2'), known('C3')],
      link,
      school,
      newId,
      'refused',
    );
    expect(plan.answers.map((a) => a.outcome)).toEqual(['CREATED', 'UNCHANGED', 'UPDATED', 'REJECTED']);
    expect(plan.answers[3].problems).toEqual([{ field: 'upn', message: 'wrong' }]);
    expect(plan.inserts).toHaveLength(1);
    expect(plan.updates).toEqual([['id-C3', school, 'NONE', false, false, true]]);
  });

  it('links a pupil who moved from another school (an update), and refuses a known UPN with other names', () => {
    const plan = planUpsert([row(0, 'D4'), { ...row(1, 'E5'), details: details('E5', 'Alex') }], [known('D4', { registeredBySchoolUrn: '100002' }), known('E5')], link, school, newId, 'refused');
    expect(plan.answers.map((a) => [a.outcome, a.pupilId])).toEqual([['UPDATED', 'id-D4'], ['REJECTED', null]]);
    expect(plan.answers[1].problems).toEqual([{ field: 'upn', message: 'refused' }]);
  });

  it('rejects a UPN sent twice in one call, keeping the first', () => {
    const plan = planUpsert([row(0, 'F6'), row(1, 'F6')], [], link, school, newId, 'refused');
    expect(plan.answers.map((a) => a.outcome)).toEqual(['CREATED', 'REJECTED']);
    expect(plan.inserts).toHaveLength(1);
  });
});
