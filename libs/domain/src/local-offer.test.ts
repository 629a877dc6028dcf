import { shownInLocalOffer } from './local-offer';

describe('shownInLocalOffer', () => {
  it.each([
    [true, 'NOT_AUDITED', true],
    [true, 'COMPLIANT', true],
    [true, 'ACTION_REQUIRED', true],
    [true, 'NON_COMPLIANT', false],
    [true, 'EXPIRED', false],
    [true, null, false],
    [true, undefined, false],
    [false, 'COMPLIANT', false],
    [undefined, 'COMPLIANT', false],
  ])('approved %s, compliance %s: shown %s', (approved, compliance, shown) => {
    expect(shownInLocalOffer({ approved, compliance })).toBe(shown);
  });
});
