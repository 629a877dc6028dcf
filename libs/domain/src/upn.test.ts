import fc from 'fast-check';
import { isValidUpn, parseUpn, UPN_LETTERS, upnCheckLetter, validateUpn } from './upn';
import { expectDomainError } from '../test/helpers';

describe('upnCheckLetter (DfE UPN guide, check letter calculation)', () => {
  it.each([
    // 8x2 + 0x3 + 1x4 + 2x5 + 0x6 + 0x7 + 0x8 + 0x9 + 5x10 + 0x11 + 0x12 + 1x13 = 93; 93 mod 23 = 1 -> B
    ['801200005001', 'B'],
    // 16 + 4 + 10 + 1x10 + 1x13 = 53; 53 mod 23 = 7 -> H
    ['801200001001', 'H'],
    // 0 -> A
    ['000000000000', 'A'],
    // 9 x (2+...+13) = 9 x 90 = 810; 810 mod 23 = 5 -> F
    ['999999999999', 'F'],
    // Temporary UPN: last letter A = 0; 16 + 4 + 10 + 50 = 80; 80 mod 23 = 11 -> M
    ['80120000500A', 'M'],
    // Temporary UPN: last letter Z = 22; 80 + 22x13 = 366; 366 mod 23 = 21 -> Y
    ['80120000500Z', 'Y'],
    // Temporary UPN: last letter T = 16 (I, O, S skipped); 80 + 16x13 = 288; 288 mod 23 = 12 -> N
    ['80120000500T', 'N'],
  ])('check letter for %s is %s', (rest, letter) => {
    expect(upnCheckLetter(rest)).toBe(letter);
  });

  it('ignores case and surrounding space', () => {
    expect(upnCheckLetter(' 80120000500z ')).toBe('Y');
  });

  it.each(['80120000500', '8012000050011', '80120000500I', '80120000500O', '80120000500S', '8012000050AA', '80120 000500', ''])(
    'refuses %j',
    (rest) => {
      expectDomainError(() => upnCheckLetter(rest), 'INVALID_UPN', /11 digits followed by a digit or a letter other than I, O or S/);
    },
  );

  it('uses the 23-letter alphabet without I, O and S', () => {
    expect(UPN_LETTERS).toHaveLength(23);
    expect(UPN_LETTERS).not.toMatch(/[IOS]/);
  });
});

describe('validateUpn', () => {
  it.each([
    ['B801200005001', 'B801200005001', false],
    ['  b801200005001 ', 'B801200005001', false],
    ['H801200001001', 'H801200001001', false],
    ['M80120000500A', 'M80120000500A', true],
    ['y80120000500z', 'Y80120000500Z', true],
  ])('accepts %j as %s (temporary: %s)', (input, upn, temporary) => {
    expect(validateUpn(input)).toEqual({ ok: true, upn, temporary });
    expect(isValidUpn(input)).toBe(true);
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['B80120000500', /exactly 13 characters.*has 12/],
    ['B8012000050011', /exactly 13 characters.*has 14/],
    ['I801200005001', /starts with its check letter.*"I"/],
    ['1801200005001', /starts with its check letter.*"1"/],
    ['B80120000A001', /10th character.*"A"/],
    ['B8012O0005001', /6th character.*"O".*digit 0/],
    ['B801 00005001', /5th character.*" "/],
    ['B80120000500O', /13th character.*ends with "O"/],
    ['B80120000500I', /13th character.*ends with "I"/],
    ['B80120000500-', /13th character.*ends with "-"/],
    ['A801200005001', /check letter does not match/],
    ['B801200005002', /check letter does not match/],
    ['N80120000500A', /check letter does not match/],
  ])('refuses %j with a reason', (input, reason) => {
    const result = validateUpn(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
    expect(isValidUpn(input)).toBe(false);
  });

  it('does not reveal the expected check letter', () => {
    const result = validateUpn('A801200005001');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).not.toMatch(/"B"/);
  });

  it('refuses non-strings without throwing', () => {
    expect(validateUpn(undefined as unknown as string).ok).toBe(false);
    expect(validateUpn(1234 as unknown as string).ok).toBe(false);
  });
});

describe('parseUpn', () => {
  it('splits a UPN into its fields', () => {
    expect(parseUpn('B801200005001')).toEqual({
      checkLetter: 'B',
      laNumber: '801',
      establishmentNumber: '2000',
      yearOfAllocation: '05',
      serial: '001',
      temporary: false,
    });
    expect(parseUpn('M80120000500A').temporary).toBe(true);
  });

  it('throws the validation reason for a bad UPN', () => {
    expectDomainError(() => parseUpn('A801200005001'), 'INVALID_UPN', /check letter does not match/);
  });
});

describe('UPN properties', () => {
  const digit = fc.constantFrom(...'0123456789'.split(''));
  const lastChar = fc.constantFrom(...'0123456789'.split(''), ...UPN_LETTERS.split(''));
  const body = fc.tuple(fc.array(digit, { minLength: 11, maxLength: 11 }), lastChar).map(([digits, last]) => digits.join('') + last);
  const validUpn = body.map((rest) => upnCheckLetter(rest) + rest);

  it('every UPN built with its check letter is valid and round-trips through validateUpn', () => {
    fc.assert(
      fc.property(validUpn, fc.boolean(), (upn, lower) => {
        const result = validateUpn(` ${lower ? upn.toLowerCase() : upn} `);
        expect(result).toEqual({ ok: true, upn, temporary: /[A-Z]$/.test(upn) });
        expect(parseUpn(upn).checkLetter + parseUpn(upn).laNumber).toBe(upn.slice(0, 4));
      }),
    );
  });

  it('detects every single-character change to characters 2-13, except digit d <-> the d-th letter at the end', () => {
    const value = (char: string) => (/[0-9]/.test(char) ? Number(char) : UPN_LETTERS.indexOf(char));
    fc.assert(
      fc.property(validUpn, fc.integer({ min: 1, max: 12 }), lastChar, (upn, position, replacement) => {
        const original = upn[position] as string;
        // Keep the changed UPN well-formed so only the check letter can catch it.
        const candidate = position < 12 && !/[0-9]/.test(replacement) ? String((Number(original) + 1) % 10) : replacement;
        fc.pre(candidate !== original);
        const changed = upn.slice(0, position) + candidate + upn.slice(position + 1);
        // In position 13 the digit d and the letter worth d (0=A, 1=B, ...) weigh the same, so
        // P000000000001 and P00000000000B are both valid: DfE's algorithm cannot tell them apart.
        expect(validateUpn(changed).ok).toBe(value(candidate) === value(original));
      }),
    );
  });

  it('accepts both the permanent and the temporary UPN whose last characters weigh the same', () => {
    expect(isValidUpn('P000000000001')).toBe(true);
    expect(isValidUpn('P00000000000B')).toBe(true);
  });

  it('detects every swap of two different adjacent characters in characters 2-13', () => {
    fc.assert(
      fc.property(validUpn, fc.integer({ min: 1, max: 10 }), (upn, position) => {
        fc.pre(upn[position] !== upn[position + 1]);
        const swapped = upn.slice(0, position) + upn[position + 1] + upn[position] + upn.slice(position + 2);
        expect(validateUpn(swapped).ok).toBe(false);
      }),
    );
  });

  it('accepts exactly one check letter for each body', () => {
    fc.assert(
      fc.property(body, (rest) => {
        const accepted = UPN_LETTERS.split('').filter((letter) => isValidUpn(letter + rest));
        expect(accepted).toEqual([upnCheckLetter(rest)]);
      }),
    );
  });
});
