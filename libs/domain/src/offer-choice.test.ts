import { checkOpenOfferOf, freePlacesOf } from './offer-choice';

describe('checkOpenOfferOf', () => {
  const P = 'provider-a';
  it.each([
    ['an open offer of the provider', { providerId: P, open: true }, null],
    ['an offer never heard of', null, /no such offer/],
    ['an offer of another provider', { providerId: 'provider-b', open: true }, /another provider/],
    ['a closed offer', { providerId: P, open: false }, /closed/],
    ['a closed offer of another provider', { providerId: 'provider-b', open: false }, /another provider/],
  ])('%s', (_what, offer, problem) => {
    const checked = checkOpenOfferOf(offer, P);
    if (problem === null) expect(checked).toEqual({ ok: true });
    else expect(checked.ok ? '' : checked.message).toMatch(problem);
  });
});

describe('freePlacesOf', () => {
  it.each([
    [4, 0, 4],
    [4, 3, 1],
    [4, 4, 0],
    [4, 6, 0],
    [0, 0, 0],
  ])('capacity %i with %i in use: %i free', (capacity, inUse, free) => {
    expect(freePlacesOf(capacity, inUse)).toBe(free);
  });
});
