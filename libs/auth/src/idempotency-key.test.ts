import { idempotencyKeyFrom } from './context';

describe('idempotencyKeyFrom', () => {
  it('takes the Idempotency-Key header in any case, or none', () => {
    expect(idempotencyKeyFrom({ 'idempotency-key': '7b0c1a52-2f7e-4a59-9d55-0e1bb3f0a7a1' })).toBe('7b0c1a52-2f7e-4a59-9d55-0e1bb3f0a7a1');
    expect(idempotencyKeyFrom({ 'Idempotency-Key': 'retry-1' })).toBe('retry-1');
    expect(idempotencyKeyFrom({})).toBeUndefined();
  });

  it.each([[''], ['has space'], ['x'.repeat(256)], ['caf\u00e9'], ['a\u0000b']])('refuses the malformed key %j with BAD_USER_INPUT', (key) => {
    expect(() => idempotencyKeyFrom({ 'idempotency-key': key })).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'Idempotency-Key' }) }),
    );
  });
});
