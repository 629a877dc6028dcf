/**
 * Loads the demo plan (plan.ts) into a running platform through its public API only: the gateway,
 * with development tokens for each person (LA admin, QA officer, each school, each provider), as
 * those people would — never by writing a service's tables. The services' own events carry the
 * rest (approvals to the referral and placement services, accepted referrals into planned
 * placements, audits into compliance).
 *
 * Idempotent by natural keys: schools by URN (importSchools), providers by name within their LA,
 * offers by name within their provider, pupils by UPN (upsertPupils), and each pupil's case is a
 * small state machine that reads where the case is and takes only the steps still missing, so a
 * second run (or a run after an interrupted one) adds nothing twice.
 */
import { issueClientToken, parseOrganisation, Role } from '@ap/auth';
import { halfDaysOf, sampleLaCalendar, today, weekday, type IsoDate, type RegisterSession } from '@ap/domain';
import { DemoPlan, DemoProvider, DemoPupil, demoPlan, DemoSize, Story } from './plan';
import { Progress } from './progress';

/** The Section 175 template every safeguarding-audit database ships with (migration SeedSection175Template). */
const SECTION_175_TEMPLATE = '175a0000-0000-4000-8000-000000000001';
const FULL_WEEK = ['MON', 'TUE', 'WED', 'THU', 'FRI'].map((day) => ({ day, start: '09:00', end: '15:00' }));
const TWO_DAYS = FULL_WEEK.slice(0, 2);

export interface LoadOptions {
  /** The gateway's /graphql URL. */
  gateway: string;
  size: DemoSize;
  progress?: Progress;
  /** Pupils' cases worked on at once. */
  concurrency?: number;
  /** How long one case may keep waiting for the events it depends on. */
  caseTimeoutMs?: number;
}

export interface DemoResult {
  plan: DemoPlan;
  providerIds: Map<string, string>;
  pupilIds: Map<string, string>;
  /** What this run did (0 everywhere on a second run), and what it left for later. */
  made: { providers: number; offers: number; pupils: number; audits: number; visits: number; caseSteps: number };
  attendance: string;
  seconds: number;
}

export class GatewayError extends Error {
  constructor(
    message: string,
    readonly codes: string[],
  ) {
    super(message);
  }
}

type Call = <T = any>(token: string, query: string, variables?: Record<string, unknown>) => Promise<T>;

function caller(gateway: string): Call {
  return async (token, query, variables = {}) => {
    const res = await fetch(gateway, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    }).catch((e: unknown) => {
      throw new Error(`could not reach the gateway at ${gateway} (${(e as Error).message}): is the platform running (npm start), or is --gateway right?`);
    });
    const body = (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
    if (body.errors?.length) {
      const first = query.replace(/\s+/g, ' ').trim().slice(0, 60);
      throw new GatewayError(`${first}…: ${body.errors.map((e) => e.message).join('; ')}`, body.errors.map((e) => e.extensions?.code ?? ''));
    }
    return body.data;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Tries work again until it succeeds or timeoutMs passes: for a step that needs another service to
 * have heard an event first (the audit service learning of a new provider). The work must be safe
 * to repeat, reading what exists before it writes.
 */
async function retrying<T>(what: string, work: () => Promise<T>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await work();
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`demo: ${what} is stuck: ${(e as Error).message}`);
      if (process.env.DEMO_DEBUG) process.stderr.write(`  (waiting) ${what}: ${(e as Error).message.slice(0, 160)}\n`);
      await sleep(250);
    }
  }
}

/** Runs work over items, `limit` at a time, ticking the progress bar as each finishes. */
async function pool<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>, progress?: Progress): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (next < items.length && errors.length === 0) {
      const index = next++;
      try {
        await work(items[index], index);
      } catch (e) {
        errors.push(e);
      }
      progress?.tick();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length) throw errors[0];
}

/** Tokens for the people of the demo, made once each (development issuer). */
function people() {
  const cache = new Map<string, Promise<string>>();
  const token = (role: Role, org: string, userId: string) => {
    const key = `${role} ${org}`;
    if (!cache.has(key)) cache.set(key, issueClientToken({ userId, role, org: parseOrganisation(org) }));
    return cache.get(key)!;
  };
  return {
    laAdmin: (la: string) => token('LA_ADMIN', `la:${la}`, `demo-la-admin-${la}`),
    qa: (la: string) => token('QA_OFFICER', `la:${la}`, `demo-qa-${la}`),
    school: (urn: string) => token('SCHOOL_USER', `school:${urn}`, `demo-school-${urn}`),
    provider: (id: string) => token('PROVIDER_USER', `provider:${id}`, `demo-provider-${id.slice(0, 8)}`),
    mis: (urn: string) => token('MIS_CLIENT', `school:${urn}`, `demo-mis-${urn}`),
  };
}

export async function loadDemo(options: LoadOptions): Promise<DemoResult> {
  const started = Date.now();
  const plan = demoPlan(options.size);
  const call = caller(options.gateway);
  const who = people();
  const progress = options.progress ?? new Progress(process.stderr, true);
  const made: DemoResult['made'] = { providers: 0, offers: 0, pupils: 0, audits: 0, visits: 0, caseSteps: 0 };
  const calendar = sampleLaCalendar();
  const day = today();

  // 1. Schools, by URN (importSchools changes nothing for a school already as given).
  progress.start('schools', plan.schools.length);
  for (const la of plan.las) {
    const schools = plan.schools.filter((s) => s.laCode === la.code);
    await call(await who.laAdmin(la.code), `mutation($input: [SchoolInput!]!) { importSchools(input: $input) { urn } }`, {
      input: schools.map((s) => ({ urn: s.urn, name: s.name, phase: s.phase, laCode: s.laCode, laName: la.name })),
    });
    progress.tick(schools.length);
  }
  progress.finish();

  // 2. Providers and their offers, by name; then where each ends up.
  progress.start('providers and offers', plan.providers.length);
  const providerIds = new Map<string, string>();
  const offerIds = new Map<string, string>();
  for (const la of plan.las) {
    const admin = await who.laAdmin(la.code);
    const { providers } = await call<{ providers: { id: string; name: string; laCode: string; approvalStatus: string; offers: { id: string; name: string }[] }[] }>(
      admin,
      `query { providers { id name laCode approvalStatus offers { id name } } }`,
    );
    const existing = new Map(providers.filter((p) => p.laCode === la.code).map((p) => [p.name, p]));
    await pool(plan.providers.filter((x) => x.laCode === la.code), 4, async (p) => {
      let found = existing.get(p.name);
      if (!found) {
        const { registerProvider } = await call(admin, `mutation($input: RegisterProviderInput!) { registerProvider(input: $input) { id name laCode approvalStatus offers { id name } } }`, {
          input: {
            name: p.name,
            registrationType: p.registrationType,
            urn: p.urn,
            ukprn: p.ukprn,
            postcode: p.postcode,
            address: `1 Imaginary Lane, ${p.postcode}`,
            location: p.location,
            contacts: [{ name: 'Demo Duty Manager', role: 'Designated safeguarding lead', email: 'dsl@example.org', phone: '01632 960000' }],
          },
        });
        found = registerProvider;
        made.providers++;
      }
      const id = found!.id;
      providerIds.set(p.name, id);
      const offers = new Map(found!.offers.map((o) => [o.name, o.id]));
      for (const o of p.offers.filter((x) => !offers.has(x.name))) {
        const { addOffer } = await call(admin, `mutation($p: ID!, $input: OfferInput!) { addOffer(providerId: $p, input: $input) { id } }`, { p: id, input: o });
        offers.set(o.name, addOffer.id);
        made.offers++;
      }
      // Direct referrals name an offer: the provider's first.
      offerIds.set(p.name, offers.get(p.offers[0].name)!);
      let status = found!.approvalStatus;
      if (status === 'APPLIED' && p.outcome !== 'APPLIED') {
        status = (await call(admin, `mutation($id: ID!) { approveProvider(id: $id) { approvalStatus } }`, { id })).approveProvider.approvalStatus;
      }
      if (status === 'APPROVED' && p.outcome === 'SUSPENDED') {
        await call(admin, `mutation($id: ID!) { suspendProvider(id: $id, reason: "Demo: a safeguarding concern under review") { id } }`, { id });
      }
    }, progress);
  }
  progress.finish();

  // 3. Safeguarding: audits (one RED makes its provider NON_COMPLIANT) and monitoring visits.
  const audited = plan.providers.filter((p) => p.audit || p.visit);
  progress.start('audits and visits', audited.length);
  await pool(audited, 4, (p) => retrying(`the audits of ${p.name}`, async () => {
    const qa = await who.qa(p.laCode);
    const id = providerIds.get(p.name)!;
    const { provider } = await call(qa, `query($id: ID!) { provider(id: $id) { audits { id } monitoringVisits { id } } }`, { id });
    if (p.audit && (provider?.audits ?? []).length === 0) {
      if (p.audit === 'SCHEDULED') {
        await call(qa, `mutation($input: ScheduleAuditInput!) { scheduleAudit(input: $input) { id } }`, {
          input: { providerId: id, templateId: SECTION_175_TEMPLATE, dueDate: calendar.addSchoolDays(day, 20), period: 'Demo year' },
        });
      } else {
        const summary = { GREEN: 'Strong safeguarding culture; records complete', AMBER: 'Single central record gaps being closed', RED: 'DSL post vacant; checks missing' }[p.audit];
        await call(qa, `mutation($input: CompleteAuditInput!) { completeAudit(input: $input) { id } }`, { input: { providerId: id, rating: p.audit, summary } });
      }
      made.audits++;
    }
    if (p.visit && (provider?.monitoringVisits ?? []).length === 0) {
      await call(qa, `mutation($input: RecordMonitoringVisitInput!) { recordMonitoringVisit(input: $input) { id } }`, {
        input: {
          providerId: id,
          type: 'SAFEGUARDING',
          visitedOn: calendar.addSchoolDays(day, -10),
          findings: [
            { area: 'Attendance registers', rating: 'GREEN', comment: 'Kept twice daily' },
            { area: 'Site safety', rating: p.outcome === 'NON_COMPLIANT' ? 'RED' : 'AMBER', comment: 'Fire door propped open' },
          ],
          followUps: [{ action: 'Fit a self-closing fire door', dueDate: calendar.addSchoolDays(day, 10) }],
        },
      });
      made.visits++;
    }
  }), progress);
  progress.finish();

  // 4. Pupils, by UPN, pushed by each school as its MIS would (upsertPupils).
  progress.start('pupils', plan.pupils.length);
  const pupilIds = new Map<string, string>();
  // Pupils registered just now have no case yet: nothing to read before its first step.
  const fresh = new Set<string>();
  for (const school of plan.schools) {
    const rows = plan.pupils.filter((p) => p.schoolUrn === school.urn);
    for (let i = 0; i < rows.length; i += 500) {
      const batch = rows.slice(i, i + 500);
      // Idempotent by UPN, so safe to send again.
      const { upsertPupils } = await retrying(`the pupils of school ${school.urn}`, async () =>
        call<{ upsertPupils: { upn: string; outcome: string; pupilId: string | null; problems: { message: string }[] }[] }>(
          await who.school(school.urn),
          `mutation($input: [PupilUpsertInput!]!) { upsertPupils(input: $input) { upn outcome pupilId problems { message } } }`,
          { input: batch.map((p) => ({ upn: p.upn, givenName: p.givenName, familyName: p.familyName, dateOfBirth: p.dateOfBirth, homeLaCode: p.laCode, senStatus: p.senStatus })) },
        ),
      );
      for (const r of upsertPupils) {
        if (!r.pupilId) throw new Error(`demo pupil ${r.upn} was refused: ${r.problems.map((p) => p.message).join('; ')}`);
        if (r.outcome === 'CREATED') {
          made.pupils++;
          fresh.add(r.upn);
        }
        pupilIds.set(r.upn, r.pupilId);
      }
      progress.tick(batch.length);
    }
  }
  progress.finish();

  // 5. Each pupil's case, to where its story ends.
  const eligible = (la: string) => plan.providers.filter((p) => p.laCode === la && p.outcome === 'APPROVED');
  progress.start("pupils' cases", plan.pupils.length);
  await pool(
    plan.pupils,
    options.concurrency ?? 10,
    async (pupil, i) => {
      const choices = eligible(pupil.laCode);
      const provider = choices[i % choices.length];
      const work: CaseWork = { call, who, pupil, pupilId: pupilIds.get(pupil.upn)!, fresh: fresh.has(pupil.upn), provider, providerId: providerIds.get(provider.name)!, offerId: offerIds.get(provider.name)!, index: i, today: day, calendar };
      const steps = await runCase(work, options.caseTimeoutMs ?? 45_000);
      made.caseSteps += steps;
    },
    progress,
  );
  progress.finish();

  // 6. A term of attendance, written back by each school's MIS.
  const attendance = await termOfAttendance({ plan, pupilIds, call, who, calendar, day, progress });

  return { plan, providerIds, pupilIds, made, attendance, seconds: (Date.now() - started) / 1000 };
}

/** How many school days back a placement's marks go: a term. */
const TERM_SCHOOL_DAYS = 60;

/**
 * A term of attendance for the pupils in AP: each school's MIS pushes its active placements' marks
 * (pushAttendance, Wonde's shape, by UPN) for every timetabled session from the start (at most a
 * term back) to the last school day before today. Mostly present, some illness, medical and
 * unauthorised absence, and a few unexplained (N) on the last day so the alerts list has work.
 * The same marks every run (they depend only on the pupil and the date), so a re-run changes nothing.
 */
export async function termOfAttendance(input: {
  plan: DemoPlan;
  pupilIds: Map<string, string>;
  call: Call;
  who: ReturnType<typeof people>;
  calendar: ReturnType<typeof sampleLaCalendar>;
  day: IsoDate;
  progress: Progress;
}): Promise<string> {
  const { plan, pupilIds, call, who, calendar, day, progress } = input;
  const upnOf = new Map([...pupilIds].map(([upn, id]) => [id, upn]));
  const lastDay = calendar.addSchoolDays(day, -1);
  const firstDay = calendar.addSchoolDays(day, -TERM_SCHOOL_DAYS);
  const totals = { accepted: 0, updated: 0, unchanged: 0, rejected: 0, placements: 0 };
  const problems = new Set<string>();
  type Listed = { id: string; startDate: string | null; timetable: { sessions: { day: string; start: string; end: string }[] } | null; pupil: { id: string } | null };
  progress.start('a term of attendance', plan.schools.length);
  for (const school of plan.schools) {
    const placements: Listed[] = [];
    for (let after: string | null = null; ; ) {
      const answer: { placements: { placements: Listed[]; nextCursor: string | null } } = await call(
        await who.school(school.urn),
        `query($after: String) { placements(filter: { status: [ACTIVE] }, first: 100, after: $after) { placements { id startDate timetable { sessions { day start end } } pupil { id } } nextCursor } }`,
        { after },
      );
      const page = answer.placements;
      placements.push(...page.placements);
      if (!page.nextCursor) break;
      after = page.nextCursor;
    }
    const marks: { upn: string; date: string; session: RegisterSession; code: string }[] = [];
    for (const p of placements) {
      const upn = p.pupil ? upnOf.get(p.pupil.id) : undefined;
      if (!upn || !p.startDate) continue;
      totals.placements++;
      for (let date = p.startDate > firstDay ? p.startDate : firstDay; date <= lastDay; date = calendar.addSchoolDays(date, 1)) {
        if (!calendar.isSchoolDay(date)) continue;
        const sessions: RegisterSession[] = p.timetable
          ? [...new Set(p.timetable.sessions.filter((s) => s.day === weekday(date)).flatMap((s) => halfDaysOf(s)))].sort()
          : ['AM', 'PM'];
        for (const session of sessions) marks.push({ upn, date, session, code: demoCode(upn, date, session, date === lastDay) });
      }
    }
    for (let i = 0; i < marks.length; i += 10_000) {
      const { pushAttendance: r } = await call<{ pushAttendance: { accepted: number; updated: number; unchanged: number; rejected: { problems: { message: string }[] }[] } }>(
        await who.mis(school.urn),
        `mutation($input: PushAttendanceInput!) { pushAttendance(input: $input) { accepted updated unchanged rejected { problems { message } } } }`,
        { input: { marks: marks.slice(i, i + 10_000) } },
      );
      totals.accepted += r.accepted;
      totals.updated += r.updated;
      totals.unchanged += r.unchanged;
      totals.rejected += r.rejected.length;
      for (const x of r.rejected) for (const problem of x.problems) problems.add(problem.message);
    }
    progress.tick(1);
  }
  progress.finish();
  const refused = totals.rejected ? `, ${totals.rejected} refused (${[...problems].slice(0, 3).join('; ')})` : '';
  return `${totals.placements} placements: ${totals.accepted} marks written, ${totals.updated} changed, ${totals.unchanged} already recorded${refused}`;
}

/** A believable code for a pupil's session, the same every run: mostly present. */
function demoCode(upn: string, date: string, session: RegisterSession, lastDay: boolean): string {
  let h = 0;
  for (const c of `${upn}${date}${session}`) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  const roll = h % 100;
  if (lastDay && roll < 8) return 'N'; // no reason yet: an alert for the school today
  if (roll < 4) return 'I';
  if (roll < 6) return 'M';
  if (roll < 9) return 'O';
  return session === 'AM' ? '/' : '\\';
}

interface CaseWork {
  call: Call;
  who: ReturnType<typeof people>;
  pupil: DemoPupil;
  pupilId: string;
  /** Registered by this run: its case is empty. */
  fresh: boolean;
  provider: DemoProvider;
  providerId: string;
  /** The provider's offer a direct referral names. */
  offerId: string;
  index: number;
  today: string;
  calendar: ReturnType<typeof sampleLaCalendar>;
}

interface CaseView {
  referrals: { id: string; status: string; provider: { id: string } | null }[];
  placements: { id: string; status: string; plannedStartDate: string | null; provider: { id: string } | null; reviews: { decision: string | null }[] }[] | null;
}

/** Waits for something another service learns from an event (an approval, an accepted referral). */
class NotYet extends Error {}

const VIEW = `query($id: ID!) { pupil(id: $id) { referrals { id status provider { id } } placements { id status plannedStartDate provider { id } reviews { decision } } } }`;

/**
 * Takes the pupil's case one step at a time towards its story's end, reading where it is before
 * each step; steps that need another service to have heard an event are tried again until it has.
 * Returns how many steps it took (0 when the case was already where it should be).
 */
async function runCase(w: CaseWork, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let steps = 0;
  // Read where the case is, then follow each mutation's answer; read again after anything failed.
  let view: CaseView | undefined = w.fresh ? { referrals: [], placements: [] } : undefined;
  for (;;) {
    try {
      view ??= (await w.call<{ pupil: CaseView }>(await w.who.school(w.pupil.schoolUrn), VIEW, { id: w.pupilId })).pupil;
      const next = await step(w, view);
      if (!next) return steps;
      view = next;
      steps++;
    } catch (e) {
      view = undefined;
      if (Date.now() > deadline) throw new Error(`demo case of ${w.pupil.upn} (${w.pupil.story}) is stuck: ${(e as Error).message}`);
      if (process.env.DEMO_DEBUG) process.stderr.write(`  (waiting) ${w.pupil.story}: ${(e as Error).message.slice(0, 160)}\n`);
      await sleep(e instanceof NotYet ? 150 : 300);
    }
  }
}

const referralStories: Story[] = ['DRAFT', 'SUBMITTED', 'UNDER_REVIEW', 'DECLINED', 'WITHDRAWN', 'LA_PANEL', 'DAY6', 'PLANNED', 'ACTIVE', 'ACTIVE_REVIEW_OVERDUE', 'REINTEGRATED'];

/** The case after one more step (from the mutation's answer, without reading it again), or null when it has reached its story's end. */
async function step(w: CaseWork, view: CaseView): Promise<CaseView | null> {
  const { call, who, pupil, calendar, today: day } = w;
  const school = await who.school(pupil.schoolUrn);
  const story = pupil.story;
  const referral = view.referrals[0];
  const placement = view.placements?.[0];
  // The provider the case is with (a run at another size may have chosen another for a new case).
  const provider = () => who.provider(referral?.provider?.id ?? placement?.provider?.id ?? w.providerId);
  /** Runs a referral mutation and takes the referral it answers as the case's. */
  const referralStep = async (token: string, mutation: string, variables: Record<string, unknown>): Promise<CaseView> => {
    const answer = await call<Record<string, CaseView['referrals'][number]>>(token, mutation.replace('@', '{ id status provider { id } }'), variables);
    return { ...view, referrals: [Object.values(answer)[0]] };
  };

  if (referralStories.includes(story)) {
    if (!referral) {
      if (story === 'DAY6') {
        return referralStep(school, `mutation($input: SubmitReferralInput!) { submitReferral(input: $input) @ }`, {
          input: { pupilId: w.pupilId, providerId: w.providerId, reason: 'PERMANENT_EXCLUSION', firstDayOfExclusion: calendar.addSchoolDays(day, -2), parentalConsent: true },
        });
      }
      return referralStep(school, `mutation($input: ReferralDraftInput!) { saveReferralDraft(input: $input) @ }`, { input: draft(w) });
    }
    if (referral.status === 'DRAFT') {
      if (story === 'DRAFT') return null;
      return referralStep(school, `mutation($id: ID!) { submitReferralDraft(id: $id) @ }`, { id: referral.id });
    }
    if (referral.status === 'SUBMITTED') {
      if (story === 'SUBMITTED' || story === 'LA_PANEL' || story === 'DAY6') return null;
      if (story === 'WITHDRAWN') {
        return referralStep(school, `mutation($id: ID!) { withdrawReferral(id: $id, reason: "The family chose a different school") @ }`, { id: referral.id });
      }
      if (story === 'UNDER_REVIEW' || story === 'DECLINED') return referralStep(await provider(), `mutation($id: ID!) { reviewReferral(id: $id) @ }`, { id: referral.id });
      return referralStep(await provider(), `mutation($id: ID!) { acceptReferral(id: $id) @ }`, { id: referral.id });
    }
    if (referral.status === 'UNDER_REVIEW') {
      if (story === 'UNDER_REVIEW') return null;
      return referralStep(await provider(), `mutation($id: ID!, $reason: DeclineReasonInput!) { declineReferral(id: $id, reason: $reason) @ }`, {
        id: referral.id,
        reason: { code: 'NO_CAPACITY', text: 'No places until after half term' },
      });
    }
    if (referral.status !== 'ACCEPTED') return null; // DECLINED, WITHDRAWN: done
    // Accepted: the placement service plans the placement when it hears referral.accepted.
    if (!placement) throw new NotYet('waiting for the placement service to plan the placement');
    return placementStep(w, view, placement, school, await provider());
  }

  // Placements a school commissions directly: a part-time one, and one cancelled before it began.
  if (!placement) {
    const partTime = story === 'PART_TIME';
    const offer = w.provider.offers[w.provider.offers.length - 1];
    return placementIs(view, await call(school, `mutation($input: CreatePlacementInput!) { createPlacement(input: $input) ${PLACEMENT} }`, {
      input: {
        pupilId: w.pupilId,
        // Its UPN, so that the school's MIS can write the pupil's attendance back.
        upn: pupil.upn,
        providerId: w.providerId,
        type: 'SCHOOL_COMMISSIONED',
        schoolUrn: pupil.schoolUrn,
        plannedStartDate: partTime ? calendar.addSchoolDays(day, -15) : calendar.addSchoolDays(day, 5),
        plannedEndDate: partTime ? calendar.addSchoolDays(day, 30) : undefined,
        firstReviewDate: partTime ? calendar.addSchoolDays(day, 5) : undefined,
        timetable: partTime ? TWO_DAYS : FULL_WEEK,
        costPerDay: offer.pricePerDay,
      },
    }));
  }
  if (placement.status !== 'PLANNED') return null;
  if (story === 'CANCELLED') {
    return placementIs(view, await call(school, `mutation($id: ID!) { cancelPlacement(id: $id, reason: "The family moved out of the area before the start") ${PLACEMENT} }`, { id: placement.id }));
  }
  return placementIs(view, await call(await provider(), `mutation($id: ID!, $d: Date) { startPlacement(id: $id, startDate: $d) ${PLACEMENT} }`, { id: placement.id, d: calendar.addSchoolDays(day, -15) }));
}

const PLACEMENT = '{ id status plannedStartDate provider { id } reviews { decision } }';
type PlacementView = NonNullable<CaseView['placements']>[number];

/** The case with the placement a mutation answered. */
function placementIs(view: CaseView, answer: Record<string, PlacementView>): CaseView {
  return { ...view, placements: [Object.values(answer)[0]] };
}

/** Started how many school days ago: past the first review (every 6 school weeks) for the overdue ones. */
function startedDaysAgo(w: CaseWork): number {
  if (w.pupil.story === 'ACTIVE_REVIEW_OVERDUE' || w.pupil.story === 'REINTEGRATED') return 36 + (w.index % 8);
  return 3 + (w.index % 24);
}

async function placementStep(w: CaseWork, view: CaseView, placement: PlacementView, school: string, provider: string): Promise<CaseView | null> {
  const { call, calendar, today: day, pupil } = w;
  if (placement.status === 'PLANNED') {
    if (pupil.story === 'PLANNED') return null;
    const start = calendar.addSchoolDays(day, -startedDaysAgo(w));
    if (placement.plannedStartDate !== start) {
      // The school plans it as it began: a full-time timetable, its cost, and its start, which
      // moves the first review to 6 school weeks after (so overdue for the longest-running ones).
      return placementIs(view, await call(school, `mutation($id: ID!, $input: UpdatePlacementPlanInput!) { updatePlacementPlan(id: $id, input: $input) ${PLACEMENT} }`, {
        id: placement.id,
        input: { plannedStartDate: start, timetable: FULL_WEEK, costPerDay: w.provider.offers[0].pricePerDay },
      }));
    }
    return placementIs(view, await call(provider, `mutation($id: ID!, $d: Date) { startPlacement(id: $id, startDate: $d) ${PLACEMENT} }`, { id: placement.id, d: start }));
  }
  if (placement.status !== 'ACTIVE' || pupil.story !== 'REINTEGRATED') return null;
  if (!placement.reviews.some((r) => r.decision === 'REINTEGRATE')) {
    return placementIs(view, await call(school, `mutation($id: ID!, $input: RecordReviewInput!) { recordReview(placementId: $id, input: $input) ${PLACEMENT} }`, {
      id: placement.id,
      input: {
        heldOn: calendar.addSchoolDays(day, -2),
        decision: 'REINTEGRATE',
        pupilVoice: 'Ready to go back',
        reintegrationPlan: { targetDate: day, schoolUrn: pupil.schoolUrn, steps: ['Two mornings a week back at school', 'Full return'] },
      },
    }));
  }
  return placementIs(view, await call(school, `mutation($id: ID!, $input: EndPlacementInput!) { endPlacement(id: $id, input: $input) ${PLACEMENT} }`, {
    id: placement.id,
    input: { endDate: day, endReason: 'REINTEGRATED_MAINSTREAM', destinationUrn: pupil.schoolUrn },
  }));
}

/** The single referral form, filled in as a school would; LA_PANEL stories go to the panel without a provider. */
function draft(w: CaseWork): Record<string, unknown> {
  const panel = w.pupil.story === 'LA_PANEL';
  const reasons = ['SEMH_NEEDS', 'RISK_OF_EXCLUSION', 'REPEATED_SUSPENSIONS', 'MEDICAL_NEEDS', 'ATTENDANCE'];
  return {
    pupilId: w.pupilId,
    route: panel ? 'LA_PANEL' : 'DIRECT',
    ...(panel ? {} : { providerId: w.providerId, offerId: w.offerId }),
    reason: reasons[w.index % reasons.length],
    needsAndStrengths: 'Enjoys practical, hands-on work; finds large classes overwhelming',
    risks: 'Leaves lessons when anxious',
    riskLevel: (['LOW', 'MEDIUM', 'HIGH'] as const)[w.index % 3],
    interventionsTried: 'Mentor, reduced timetable, referral to the wellbeing team',
    currentAttendancePercent: 55 + (w.index % 40),
    outcomesWanted: 'Back to full-time mainstream within two terms',
    proposedStartDate: w.today,
    hoursWanted: 25,
    pupilVoice: 'Would like a smaller group',
    parentVoice: 'Supports a short placement',
    consent: { parentalConsent: true, givenBy: 'Parent', givenOn: w.today, dataSharingAgreed: true },
  };
}
