import { AuthError, formatOrganisation, parseOrganisation, ROLES, ROLE_ORG_TYPE, toPrincipal } from './index';

describe('organisations', () => {
  it.each(['la:865', 'school:100001', 'provider:0f8fad5b-d9cb-469f-a165-70867728950e'])('round-trips %s', (text) => {
    expect(formatOrganisation(parseOrganisation(text))).toBe(text);
  });
  it.each([
    ['la:86', /3-digit local authority code/],
    ['la:8650', /3-digit/],
    ['school:10001', /6-digit school URN/],
    ['provider:not-a-uuid', /uuid/],
    ['council:865', /unknown type "council".*la:<3-digit LA code>/],
    ['865', /unknown type/],
    ['', /organisation is required/],
  ])('refuses %j with an actionable message', (text, message) => {
    expect(() => parseOrganisation(text)).toThrow(AuthError);
    expect(() => parseOrganisation(text)).toThrow(message);
  });
  it('gives every role an organisation type', () => {
    for (const role of ROLES) expect(['la', 'school', 'provider']).toContain(ROLE_ORG_TYPE[role]);
  });
  it('refuses a role whose organisation type disagrees', () => {
    expect(() => toPrincipal('u', 'SCHOOL_USER', 'la:865')).toThrow(/SCHOOL_USER is for school organisations.*la:865/);
    expect(() => toPrincipal('u', 'PROVIDER_USER', 'school:100001')).toThrow(AuthError);
    expect(toPrincipal('u', 'MIS_CLIENT', 'school:100001')).toEqual({ userId: 'u', role: 'MIS_CLIENT', org: { type: 'school', id: '100001' } });
  });
  it('refuses an unknown role', () => {
    expect(() => toPrincipal('u', 'ROOT', 'la:865')).toThrow(/"ROOT" is not one of LA_ADMIN/);
  });
});
