import { checkAuditInput, complianceForRating } from './audit';

describe('complianceForRating', () => {
  it.each([
    ['GREEN', 'COMPLIANT'],
    ['AMBER', 'ACTION_REQUIRED'],
    ['RED', 'NON_COMPLIANT'],
  ] as const)('%s means %s', (rating, compliance) => expect(complianceForRating(rating)).toBe(compliance));
});

describe('checkAuditInput', () => {
  it('trims the summary and treats blank as none', () => {
    expect(checkAuditInput({ summary: '  fine ' })).toEqual({ ok: true, summary: 'fine' });
    expect(checkAuditInput({ summary: '   ' })).toEqual({ ok: true, summary: null });
  });
  it('refuses an over-long summary', () => {
    expect(checkAuditInput({ summary: 'x'.repeat(4001) }).ok).toBe(false);
  });
});
