// Limits of the audit form that audit.test.ts does not cover.
import { checkAuditInput, complianceForRating, RATINGS } from './audit';

describe('checkAuditInput', () => {
  it('treats a missing summary as none', () => {
    expect(checkAuditInput({})).toEqual({ ok: true, summary: null });
    expect(checkAuditInput({ summary: null })).toEqual({ ok: true, summary: null });
  });
  it('allows exactly 4000 characters, counted after trimming', () => {
    expect(checkAuditInput({ summary: 'x'.repeat(4000) })).toEqual({ ok: true, summary: 'x'.repeat(4000) });
    expect(checkAuditInput({ summary: ` ${'x'.repeat(4000)} ` })).toEqual({ ok: true, summary: 'x'.repeat(4000) });
  });
  it('names the summary field when it is too long', () => {
    expect(checkAuditInput({ summary: 'x'.repeat(4001) })).toEqual({
      ok: false,
      problems: [{ field: 'summary', message: 'Summary must be at most 4000 characters' }],
    });
  });
});

describe('complianceForRating', () => {
  it('gives every rating a distinct compliance', () => {
    expect(new Set(RATINGS.map(complianceForRating)).size).toBe(RATINGS.length);
  });
});
