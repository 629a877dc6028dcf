import type { InputProblem } from '@ap/errors';

export const REGISTRATION_TYPES = [
  'REGISTERED_INDEPENDENT_SCHOOL',
  'PUPIL_REFERRAL_UNIT',
  'AP_ACADEMY',
  'AP_FREE_SCHOOL',
  'FE_COLLEGE',
  'UNREGISTERED',
] as const;
export type RegistrationType = (typeof REGISTRATION_TYPES)[number];
export type ApprovalStatus = 'APPLIED' | 'APPROVED' | 'SUSPENDED' | 'WITHDRAWN';
export type Compliance = 'NOT_AUDITED' | 'COMPLIANT' | 'ACTION_REQUIRED' | 'NON_COMPLIANT' | 'EXPIRED';

export interface ProviderDetails {
  name: string;
  registrationType: RegistrationType;
  urn: string | null;
  ukprn: string | null;
  postcode: string | null;
}

/** What a caller gives: the optional identifiers may be left out (as RegisterProviderInput allows). */
export type ProviderDetailsInput = Pick<ProviderDetails, 'name' | 'registrationType'> & Partial<Pick<ProviderDetails, 'urn' | 'ukprn' | 'postcode'>>;

/** Types that are schools in law and so carry a DfE URN. */
const SCHOOL_TYPES: RegistrationType[] = ['REGISTERED_INDEPENDENT_SCHOOL', 'PUPIL_REFERRAL_UNIT', 'AP_ACADEMY', 'AP_FREE_SCHOOL'];
// UK postcode (the Royal Mail format): outward code A9, A99, A9A, AA9, AA99 or AA9A, a space, inward
// code 9AA (whose letters are never C, I, K, M, O or V); and the one exception, GIR 0AA.
const POSTCODE = /^(GIR 0AA|[A-PR-UWYZ](\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPSTUW]|[A-HK-Y]\d[ABEHMNPRV-Y]) \d[ABD-HJLNP-UW-Z]{2})$/;

/**
 * A provider's identifiers follow from what it is: a registered school, PRU or AP academy has a
 * 6-digit URN, an FE college an 8-digit UKPRN; an unregistered provider has neither.
 */
export function checkProviderDetails(input: ProviderDetailsInput): { ok: true; value: ProviderDetails } | { ok: false; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const name = input.name.trim().replace(/\s+/g, ' ');
  if (!name) problems.push({ field: 'name', message: 'Provider name is required' });
  else if (name.length > 200) problems.push({ field: 'name', message: 'Provider name must be at most 200 characters' });
  const urn = input.urn?.trim() || null;
  const ukprn = input.ukprn?.trim() || null;
  if (SCHOOL_TYPES.includes(input.registrationType)) {
    if (!urn || !/^\d{6}$/.test(urn)) problems.push({ field: 'urn', message: 'A registered school, PRU or AP academy needs its six-digit DfE URN' });
  } else if (urn) {
    problems.push({ field: 'urn', message: 'Only registered schools, PRUs and AP academies have a URN' });
  }
  if (input.registrationType === 'FE_COLLEGE' && (!ukprn || !/^\d{8}$/.test(ukprn))) {
    problems.push({ field: 'ukprn', message: 'An FE college needs its eight-digit UKPRN' });
  } else if (ukprn && !/^\d{8}$/.test(ukprn)) {
    // else: one mistake, one problem (an FE college's malformed UKPRN is reported just above).
    problems.push({ field: 'ukprn', message: 'A UKPRN has eight digits' });
  }
  const postcode = checkPostcode(input.postcode);
  if (!postcode.ok) problems.push(postcode.problem);
  if (problems.length) return { ok: false, problems };
  return { ok: true, value: { name, registrationType: input.registrationType, urn, ukprn, postcode: postcode.ok ? postcode.value : null } };
}

/** Approval moves a provider that applied, or was suspended, into the approved directory. */
export function checkCanApprove(status: ApprovalStatus): { ok: true } | { ok: false; message: string } {
  if (status === 'APPLIED' || status === 'SUSPENDED') return { ok: true };
  if (status === 'APPROVED') return { ok: false, message: 'This provider is already approved' };
  return { ok: false, message: 'A withdrawn provider must apply again before it can be approved' };
}

/**
 * A completed audit sets compliance, unless a later audit has already been applied: events may
 * arrive late, and an older audit must not overwrite a newer one.
 */
export function complianceAfterAudit(
  current: { compliance: Compliance; complianceAsOf: Date | null },
  audit: { compliance: Compliance; completedAt: Date },
): { compliance: Compliance; complianceAsOf: Date } | null {
  if (current.complianceAsOf && current.complianceAsOf.getTime() > audit.completedAt.getTime()) return null;
  return { compliance: audit.compliance, complianceAsOf: audit.completedAt };
}

/**
 * The placement service's latest word on whether an unregistered provider must register as an
 * independent school: an answer effective before the one already held changes nothing (events may
 * arrive late or out of order).
 */
export function registrationRequirementAfter(
  current: { registrationRequiredAsOf: Date | null },
  next: { required: boolean; reason: string; effectiveAt: Date },
): { registrationRequired: boolean; registrationRequiredReason: string; registrationRequiredAsOf: Date } | null {
  if (current.registrationRequiredAsOf && current.registrationRequiredAsOf.getTime() > next.effectiveAt.getTime()) return null;
  return { registrationRequired: next.required, registrationRequiredReason: next.reason, registrationRequiredAsOf: next.effectiveAt };
}

export interface ProviderContact {
  name: string;
  role: string;
  email: string | null;
  phone: string | null;
}

export interface ProviderProfile {
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  contacts: ProviderContact[];
}

export type ProviderProfileInput = {
  address?: string | null;
  location?: { latitude: number; longitude: number } | null;
  contacts?: readonly { name: string; role: string; email?: string | null; phone?: string | null }[] | null;
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// UK numbers: 10 or 11 digits after an optional +44 (spaces, dashes and brackets allowed).
const PHONE = /^(\+44\s?|0)[\d\s()-]{9,13}$/;

/** Address, location (on the globe: latitude ±90, longitude ±180) and contacts, each checked. */
export function checkProviderProfile(input: ProviderProfileInput): { ok: true; value: ProviderProfile } | { ok: false; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const address = input.address?.trim().replace(/\s+/g, ' ') || null;
  if (address && address.length > 500) problems.push({ field: 'address', message: 'An address must be at most 500 characters' });
  const loc = input.location ?? null;
  if (loc) {
    if (!Number.isFinite(loc.latitude) || loc.latitude < -90 || loc.latitude > 90) problems.push({ field: 'location.latitude', message: 'Latitude is between -90 and 90 degrees' });
    if (!Number.isFinite(loc.longitude) || loc.longitude < -180 || loc.longitude > 180) problems.push({ field: 'location.longitude', message: 'Longitude is between -180 and 180 degrees' });
  }
  const contacts: ProviderContact[] = [];
  (input.contacts ?? []).forEach((c, i) => {
    const name = c.name.trim();
    const role = c.role.trim();
    const email = c.email?.trim() || null;
    const phone = c.phone?.trim() || null;
    if (!name) problems.push({ field: `contacts[${i}].name`, message: 'A contact needs a name' });
    if (!role) problems.push({ field: `contacts[${i}].role`, message: 'A contact needs a role (e.g. Headteacher, DSL)' });
    if (email && !EMAIL.test(email)) problems.push({ field: `contacts[${i}].email`, message: `"${email}" is not an email address` });
    if (phone && !PHONE.test(phone)) problems.push({ field: `contacts[${i}].phone`, message: `"${phone}" is not a UK phone number` });
    if (!email && !phone) problems.push({ field: `contacts[${i}]`, message: 'A contact needs an email address or a phone number' });
    contacts.push({ name, role, email, phone });
  });
  if (problems.length) return { ok: false, problems };
  return { ok: true, value: { address, latitude: loc?.latitude ?? null, longitude: loc?.longitude ?? null, contacts } };
}

export type LifecycleAction = 'suspend' | 'withdraw' | 'reinstate';

/**
 * The LA's lifecycle moves: an approved provider may be suspended; a suspended one reinstated;
 * any provider not yet withdrawn may be withdrawn (for good: it must apply again).
 */
export function checkLifecycle(action: LifecycleAction, status: ApprovalStatus, reason: string): { ok: true; to: ApprovalStatus } | { ok: false; code: 'CONFLICT' | 'BAD_USER_INPUT'; message: string } {
  if (!reason.trim()) return { ok: false, code: 'BAD_USER_INPUT', message: 'Give a reason: it is kept in the approval history' };
  if (reason.trim().length > 1000) return { ok: false, code: 'BAD_USER_INPUT', message: 'A reason must be at most 1000 characters' };
  switch (action) {
    case 'suspend':
      return status === 'APPROVED' ? { ok: true, to: 'SUSPENDED' } : { ok: false, code: 'CONFLICT', message: `Only an approved provider can be suspended; this one is ${status}` };
    case 'reinstate':
      return status === 'SUSPENDED' ? { ok: true, to: 'APPROVED' } : { ok: false, code: 'CONFLICT', message: `Only a suspended provider can be reinstated; this one is ${status}` };
    case 'withdraw':
      return status === 'WITHDRAWN' ? { ok: false, code: 'CONFLICT', message: 'This provider is already withdrawn' } : { ok: true, to: 'WITHDRAWN' };
  }
}

/** An audit is good for 12 months: after that, compliance shows EXPIRED until the next audit. */
export function auditExpiresAt(lastAuditCompletedAt: Date): Date {
  const d = new Date(lastAuditCompletedAt.getTime());
  d.setUTCMonth(d.getUTCMonth() + 12);
  return d;
}

/**
 * What the expiry job sets: EXPIRED when the audit behind an audited compliance is more than 12
 * months old at `at` (effective when it ran out); null (no change) otherwise — never audited, already expired, or still in date.
 */
export function expiredCompliance(current: { compliance: Compliance; complianceAsOf: Date | null }, at: Date): { compliance: 'EXPIRED'; complianceAsOf: Date } | null {
  if (current.compliance === 'EXPIRED' || current.compliance === 'NOT_AUDITED' || !current.complianceAsOf) return null;
  const expiresAt = auditExpiresAt(current.complianceAsOf);
  // Effective from the moment the audit ran out, as the audit service's provider.compliance_changed says it.
  return expiresAt.getTime() <= at.getTime() ? { compliance: 'EXPIRED', complianceAsOf: expiresAt } : null;
}

/** A UK postcode, normalised; empty is none. */
export function checkPostcode(raw: string | null | undefined): { ok: true; value: string | null } | { ok: false; problem: InputProblem } {
  if (!raw?.trim()) return { ok: true, value: null };
  const postcode = normalisePostcode(raw);
  return POSTCODE.test(postcode) ? { ok: true, value: postcode } : { ok: false, problem: { field: 'postcode', message: `"${raw}" is not a UK postcode` } };
}

/** Upper case, with one space before the inward code (the last three characters). */
export function normalisePostcode(raw: string): string {
  const compact = raw.toUpperCase().replace(/\s+/g, '');
  return compact.length > 3 ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : compact;
}
