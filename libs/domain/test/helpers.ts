import { DomainRuleError, DomainRuleErrorCode } from '../src/errors';

/**
 * Runs `fn` and returns the DomainRuleError it throws, failing the test when it returns normally
 * or throws anything else. Used instead of toThrow() so tests can also check the code and message.
 */
export function domainError(fn: () => unknown): DomainRuleError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainRuleError) return error;
    throw new Error(`Expected a DomainRuleError but got: ${String(error)}`);
  }
  throw new Error('Expected a DomainRuleError but nothing was thrown');
}

export function expectDomainError(fn: () => unknown, code: DomainRuleErrorCode, messagePart?: string | RegExp): DomainRuleError {
  const error = domainError(fn);
  expect(error.code).toBe(code);
  if (messagePart !== undefined) expect(error.message).toMatch(messagePart);
  return error;
}
