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
// UK postcode, loosely: outward code, space optional, inward code.
const POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/;

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
  const postcode = input.postcode ? input.postcode.trim().toUpperCase().replace(/\s+/g, ' ') : null;
  if (postcode && !POSTCODE.test(postcode)) problems.push({ field: 'postcode', message: `"${input.postcode}" is not a UK postcode` });
  if (problems.length) return { ok: false, problems };
  return { ok: true, value: { name, registrationType: input.registrationType, urn, ukprn, postcode } };
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
