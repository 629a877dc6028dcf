import { DomainRuleError, isDomainRuleError } from './errors';

describe('DomainRuleError', () => {
  it('is an Error with a stable code, a name and the message', () => {
    const error = new DomainRuleError('INVALID_DATE', 'The date "x" is not a date.');
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(DomainRuleError);
    expect(error.code).toBe('INVALID_DATE');
    expect(error.name).toBe('DomainRuleError');
    expect(error.message).toBe('The date "x" is not a date.');
  });

  it('isDomainRuleError tells domain errors from others, optionally by code', () => {
    const error = new DomainRuleError('INVALID_UPN', 'bad');
    expect(isDomainRuleError(error)).toBe(true);
    expect(isDomainRuleError(error, 'INVALID_UPN')).toBe(true);
    expect(isDomainRuleError(error, 'INVALID_DATE')).toBe(false);
    expect(isDomainRuleError(new Error('bad'))).toBe(false);
    expect(isDomainRuleError('bad')).toBe(false);
  });
});
