import { DomainRuleError } from './errors';

/**
 * Unique pupil numbers, as specified in DfE's "Unique pupil numbers (UPN): a guide for schools and
 * local authorities" (UPN guide v1.2, sections "UPN format" and "Check letter calculation").
 *
 * Layout of the 13 characters:
 *   1      check letter
 *   2-4    LA number of the allocating authority
 *   5-8    DfE establishment number of the allocating school
 *   9-10   year of allocation (last two digits)
 *   11-12  serial number
 *   13     serial digit for a permanent UPN; a letter for a temporary UPN
 * Letters are drawn from the 23-letter alphabet A-Z without I, O and S (too easily read as 1, 0
 * and 5), which also gives the values 0-22 used by the check-letter sum.
 * The check letter catches any single changed character and any swap of two different adjacent
 * characters (23 is prime and every weight is below it), with one blind spot built into DfE's
 * algorithm: in position 13 the digit d and the letter worth d (0 = A, 1 = B, ... 9 = K) weigh the
 * same, so P000000000001 and P00000000000B are both valid, different UPNs.
 */

/** The 23 letters a UPN may use; a letter's index is its value in the check-letter sum. */
export const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

const DIGITS = /^[0-9]$/;

function characterValue(char: string): number | undefined {
  if (DIGITS.test(char)) return Number(char);
  const index = UPN_LETTERS.indexOf(char);
  return index >= 0 ? index : undefined;
}

/**
 * The check letter (character 1) for characters 2-13 of a UPN.
 * Source: DfE UPN guide, "Check letter calculation": multiply characters 2-13 by weights 2-13,
 * a letter in position 13 taking its value in {@link UPN_LETTERS}; the sum modulo 23 indexes
 * {@link UPN_LETTERS}.
 * @param rest characters 2-13: eleven digits then a digit or a UPN letter (case and surrounding
 *   space are ignored)
 * @throws DomainRuleError INVALID_UPN when `rest` is not of that form
 */
export function upnCheckLetter(rest: string): string {
  const body = typeof rest === 'string' ? rest.trim().toUpperCase() : '';
  if (!/^[0-9]{11}[0-9A-Z]$/.test(body) || characterValue(body[11] as string) === undefined) {
    throw new DomainRuleError(
      'INVALID_UPN',
      `"${String(rest)}" is not characters 2-13 of a UPN: expected 11 digits followed by a digit or a letter other than I, O or S.`,
    );
  }
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    sum += (characterValue(body[i] as string) as number) * (i + 2);
  }
  return UPN_LETTERS[sum % 23] as string;
}

export type UpnValidation =
  | { ok: true; upn: string; temporary: boolean }
  | { ok: false; reason: string };

function ordinal(n: number): string {
  const suffix = n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

/**
 * Checks a UPN typed or imported by a person and returns it normalised (upper case, no
 * surrounding space), or the reason it was refused, phrased so the person can fix it.
 * Accepts permanent UPNs (13th character a digit) and temporary UPNs (13th character a letter
 * other than I, O, S). Source: DfE UPN guide, "UPN format", "Temporary UPNs" and
 * "Check letter calculation".
 * Spaces inside the UPN are refused rather than stripped: a UPN never contains them, so they
 * usually mean two fields were pasted together.
 */
export function validateUpn(input: string): UpnValidation {
  if (typeof input !== 'string' || input.trim() === '') {
    return { ok: false, reason: 'The UPN is empty. Enter the 13-character unique pupil number from the pupil\'s school record.' };
  }
  const upn = input.trim().toUpperCase();
  if (upn.length !== 13) {
    return {
      ok: false,
      reason: `A UPN has exactly 13 characters, but "${upn}" has ${upn.length}. Check it has been copied in full from the pupil's school record.`,
    };
  }
  const first = upn[0] as string;
  if (!UPN_LETTERS.includes(first)) {
    return {
      ok: false,
      reason: `A UPN starts with its check letter (A-Z except I, O and S), but "${upn}" starts with "${first}".`,
    };
  }
  for (let i = 1; i < 12; i++) {
    const char = upn[i] as string;
    if (!DIGITS.test(char)) {
      return {
        ok: false,
        reason: `Characters 2 to 12 of a UPN are digits, but the ${ordinal(i + 1)} character of "${upn}" is "${char}".${char === 'O' ? ' Did you mean the digit 0?' : ''}`,
      };
    }
  }
  const last = upn[12] as string;
  const temporary = !DIGITS.test(last);
  if (temporary && !UPN_LETTERS.includes(last)) {
    return {
      ok: false,
      reason: `The 13th character of a UPN is a digit (permanent UPN) or a letter other than I, O and S (temporary UPN), but "${upn}" ends with "${last}".`,
    };
  }
  if (upnCheckLetter(upn.slice(1)) !== first) {
    // We deliberately do not reveal the expected letter: the usual cause is a mistyped digit, and
    // "fixing" the check letter would turn a detectable typo into a wrong pupil.
    return {
      ok: false,
      reason: `"${upn}" is not a valid UPN: its check letter does not match the other characters, so a character has probably been mistyped or two swapped. Check it against the pupil's school record.`,
    };
  }
  return { ok: true, upn, temporary };
}

/** True when `input` is a valid permanent or temporary UPN (see {@link validateUpn}). */
export function isValidUpn(input: string): boolean {
  return validateUpn(input).ok;
}

export interface UpnParts {
  checkLetter: string;
  /** Characters 2-4: the allocating LA's number, e.g. "865". */
  laNumber: string;
  /** Characters 5-8: the allocating school's DfE establishment number. */
  establishmentNumber: string;
  /** Characters 9-10: last two digits of the year of allocation. */
  yearOfAllocation: string;
  /** Characters 11-13: serial (for a temporary UPN, two digits and a letter). */
  serial: string;
  temporary: boolean;
}

/**
 * Splits a valid UPN into its parts (DfE UPN guide, "UPN format").
 * @throws DomainRuleError INVALID_UPN with the reason from {@link validateUpn}
 */
export function parseUpn(input: string): UpnParts {
  const result = validateUpn(input);
  if (!result.ok) throw new DomainRuleError('INVALID_UPN', result.reason);
  const { upn } = result;
  return {
    checkLetter: upn.slice(0, 1),
    laNumber: upn.slice(1, 4),
    establishmentNumber: upn.slice(4, 8),
    yearOfAllocation: upn.slice(8, 10),
    serial: upn.slice(10, 13),
    temporary: result.temporary,
  };
}
