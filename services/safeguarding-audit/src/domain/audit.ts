import type { InputProblem } from '@ap/errors';

export const RATINGS = ['GREEN', 'AMBER', 'RED'] as const;
export type Rating = (typeof RATINGS)[number];
export type Compliance = 'COMPLIANT' | 'ACTION_REQUIRED' | 'NON_COMPLIANT';

/**
 * What an overall RAG rating means for a provider: green is compliant; amber leaves actions to
 * complete (placements may continue); red is non-compliant, and no new placement may be made
 * without an LA override.
 */
export function complianceForRating(rating: Rating): Compliance {
  switch (rating) {
    case 'GREEN':
      return 'COMPLIANT';
    case 'AMBER':
      return 'ACTION_REQUIRED';
    case 'RED':
      return 'NON_COMPLIANT';
  }
}

export function checkAuditInput(input: { summary?: string | null }): { ok: true; summary: string | null } | { ok: false; problems: InputProblem[] } {
  const summary = input.summary?.trim() || null;
  if (summary && summary.length > 4000) return { ok: false, problems: [{ field: 'summary', message: 'Summary must be at most 4000 characters' }] };
  return { ok: true, summary };
}

// --- The audit cycle: SCHEDULED → SELF_ASSESSMENT → SUBMITTED → COMPLETED (or EXPIRED) ---

export const AUDIT_STATUSES = ['SCHEDULED', 'SELF_ASSESSMENT', 'SUBMITTED', 'COMPLETED', 'EXPIRED'] as const;
export type AuditStatus = (typeof AUDIT_STATUSES)[number];

/** A provider's answer to one standard: how it rates itself, and the evidence it offers. */
export interface Answer {
  standardId: string;
  selfRating: Rating;
  evidence: string | null;
}

/** The QA officer's rating of one standard. */
export interface StandardRating {
  standardId: string;
  rating: Rating;
  comment: string | null;
}

const WORST_FIRST: readonly Rating[] = ['RED', 'AMBER', 'GREEN'];

/** The overall rating is the worst standard's: one RED standard makes the audit RED. */
export function overallRating(ratings: readonly { rating: Rating }[]): Rating | null {
  if (ratings.length === 0) return null;
  return WORST_FIRST.find((r) => ratings.some((x) => x.rating === r)) ?? null;
}

/** Where a template's standard list is needed, only the ids matter. */
type Standards = readonly { id: string }[];

/**
 * Merges answers into those already saved (a later answer to a standard replaces the earlier one)
 * and checks each names a standard of the audit's template and keeps its evidence short.
 */
export function mergeAnswers(
  standards: Standards,
  saved: readonly Answer[],
  given: readonly { standardId: string; selfRating: Rating; evidence?: string | null }[],
): { ok: true; answers: Answer[] } | { ok: false; problems: InputProblem[] } {
  const known = new Set(standards.map((s) => s.id));
  const problems: InputProblem[] = [];
  const byStandard = new Map(saved.map((a) => [a.standardId, a]));
  given.forEach((a, i) => {
    if (!known.has(a.standardId)) problems.push({ field: `answers[${i}].standardId`, message: `Standard ${a.standardId} is not in this audit’s template` });
    const evidence = a.evidence?.trim() || null;
    if (evidence && evidence.length > 4000) problems.push({ field: `answers[${i}].evidence`, message: 'Evidence must be at most 4000 characters' });
    byStandard.set(a.standardId, { standardId: a.standardId, selfRating: a.selfRating, evidence });
  });
  if (problems.length) return { ok: false, problems };
  // Template order, so the answers read as the form does.
  return { ok: true, answers: standards.map((s) => byStandard.get(s.id)).filter((a): a is Answer => !!a) };
}

/** Every standard of the template without an answer, each named as a problem. */
export function missingAnswers(standards: Standards, answers: readonly Answer[]): InputProblem[] {
  const answered = new Set(answers.map((a) => a.standardId));
  return standards.filter((s) => !answered.has(s.id)).map((s) => ({ field: `answers.${s.id}`, message: `Standard ${s.id} has no answer` }));
}

/** Merges the officer's ratings into those already given, checking each names a standard of the template. */
export function mergeRatings(
  standards: Standards,
  saved: readonly StandardRating[],
  given: readonly { standardId: string; rating: Rating; comment?: string | null }[],
): { ok: true; ratings: StandardRating[] } | { ok: false; problems: InputProblem[] } {
  const known = new Set(standards.map((s) => s.id));
  const problems: InputProblem[] = [];
  if (given.length === 0) problems.push({ field: 'ratings', message: 'Rate at least one standard' });
  const byStandard = new Map(saved.map((r) => [r.standardId, r]));
  given.forEach((r, i) => {
    if (!known.has(r.standardId)) problems.push({ field: `ratings[${i}].standardId`, message: `Standard ${r.standardId} is not in this audit’s template` });
    const comment = r.comment?.trim() || null;
    if (comment && comment.length > 4000) problems.push({ field: `ratings[${i}].comment`, message: 'A comment must be at most 4000 characters' });
    byStandard.set(r.standardId, { standardId: r.standardId, rating: r.rating, comment });
  });
  if (problems.length) return { ok: false, problems };
  return { ok: true, ratings: standards.map((s) => byStandard.get(s.id)).filter((r): r is StandardRating => !!r) };
}

/**
 * What stops an audit being completed: every standard rated, and an action planned for every AMBER
 * or RED standard (an action closed already counts: it was planned and done).
 */
export function completionProblems(standards: Standards, ratings: readonly StandardRating[], actionStandards: readonly string[]): InputProblem[] {
  const rated = new Map(ratings.map((r) => [r.standardId, r.rating]));
  const withAction = new Set(actionStandards);
  const problems: InputProblem[] = [];
  for (const s of standards) {
    const rating = rated.get(s.id);
    if (!rating) problems.push({ field: `ratings.${s.id}`, message: `Standard ${s.id} is not rated yet` });
    else if (rating !== 'GREEN' && !withAction.has(s.id)) problems.push({ field: `actions.${s.id}`, message: `Standard ${s.id} is rated ${rating}: add an action for it first` });
  }
  return problems;
}

/** Which statuses each step may start from; anything else is a CONFLICT that names the status. */
export const STEP_FROM: Record<'saveSelfAssessment' | 'submitSelfAssessment' | 'rateAudit' | 'addAuditAction' | 'completeScheduledAudit', readonly AuditStatus[]> = {
  saveSelfAssessment: ['SCHEDULED', 'SELF_ASSESSMENT'],
  submitSelfAssessment: ['SCHEDULED', 'SELF_ASSESSMENT'],
  // A completed audit may be re-rated once its actions are done (the follow-up of an action plan).
  rateAudit: ['SUBMITTED', 'COMPLETED'],
  addAuditAction: ['SUBMITTED', 'COMPLETED'],
  completeScheduledAudit: ['SUBMITTED'],
};

/** A provider user sees the officer's ratings only once the audit is completed. */
export const ratingsVisible = (role: string, status: AuditStatus): boolean => role !== 'PROVIDER_USER' || status === 'COMPLETED' || status === 'EXPIRED';
