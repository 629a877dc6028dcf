import { decodeJwt } from 'jose';
import {
  AuthError,
  cachedClientTokenVerifier,
  cachedInternalTokenVerifier,
  contextFromRequest,
  ExpiringLru,
  InternalTokenIssuer,
  issueClientToken,
  issueInternalToken,
  Principal,
  verifyInternalToken,
} from './index';

const school: Principal = { userId: 'sam', role: 'SCHOOL_USER', org: { type: 'school', id: '100001' } };
const admin: Principal = { userId: 'alice', role: 'LA_ADMIN', org: { type: 'la', id: '865' } };

describe('ExpiringLru', () => {
  it.each([
    ['before its time', 999, 'a'],
    ['at its time', 1000, undefined],
    ['after its time', 5000, undefined],
  ])('an entry asked for %s answers %s', (_when, now, expected) => {
    const lru = new ExpiringLru<string>(2);
    lru.set('k', 'a', 1000);
    expect(lru.get('k', now)).toBe(expected);
  });

  it('drops the least recently used entry when full', () => {
    const lru = new ExpiringLru<number>(2);
    lru.set('a', 1, Infinity);
    lru.set('b', 2, Infinity);
    expect(lru.get('a')).toBe(1); // a is now the most recently used
    lru.set('c', 3, Infinity);
    expect([lru.get('a'), lru.get('b'), lru.get('c'), lru.size]).toEqual([1, undefined, 3, 2]);
  });

  it('refuses a size that is not a positive whole number', () => {
    expect(() => new ExpiringLru(0)).toThrow(/at least 1/);
  });
});

describe('cachedClientTokenVerifier', () => {
  it('answers with the principal, and refuses an altered token every time', async () => {
    const verify = cachedClientTokenVerifier();
    const token = await issueClientToken(school);
    await expect(verify(token)).resolves.toEqual(school);
    await expect(verify(token)).resolves.toEqual(school);
    const altered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    await expect(verify(altered)).rejects.toThrow(AuthError);
    await expect(verify(altered)).rejects.toThrow(AuthError);
  });

  it('does not serve a remembered token once the secret has changed', async () => {
    const verify = cachedClientTokenVerifier();
    const token = await issueClientToken(school);
    await expect(verify(token)).resolves.toEqual(school);
    const before = process.env.CLIENT_TOKEN_SECRET;
    process.env.CLIENT_TOKEN_SECRET = 'another-secret-for-this-test-only-0123456789';
    try {
      await expect(verify(token)).rejects.toThrow(/signature is not valid/);
    } finally {
      if (before === undefined) delete process.env.CLIENT_TOKEN_SECRET;
      else process.env.CLIENT_TOKEN_SECRET = before;
    }
  });

  it('does not serve a token past its expiry', async () => {
    jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const verify = cachedClientTokenVerifier();
      const token = await issueClientToken(school, { ttlSeconds: 60 });
      await expect(verify(token)).resolves.toEqual(school);
      jest.setSystemTime(Date.now() + 61_000);
      await expect(verify(token)).rejects.toThrow(/expired/);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('InternalTokenIssuer', () => {
  it('gives one caller the same token for a subgraph within the reuse time, and a new one after', async () => {
    const issuer = new InternalTokenIssuer(100, 30_000);
    const now = Date.now();
    const first = await issuer.token(school, 'referral', now);
    expect(await issuer.token(school, 'referral', now + 29_000)).toBe(first);
    expect(await issuer.token({ ...school }, 'referral', now + 1000)).toBe(first);
    expect(await issuer.token(school, 'placement', now)).not.toBe(first);
    expect(await issuer.token(admin, 'referral', now)).not.toBe(first);
    expect(await issuer.token(null, 'referral', now)).not.toBe(first);
    jest.useFakeTimers({ now: now + 30_000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const later = await issuer.token(school, 'referral', Date.now());
      expect(decodeJwt(later).iat).toBe(decodeJwt(first).iat! + 30);
    } finally {
      jest.useRealTimers();
    }
  });

  it('mints a token the subgraph accepts, for its audience only, naming the caller and no trace', async () => {
    const token = await new InternalTokenIssuer().token(school, 'referral');
    await expect(verifyInternalToken(token, 'referral')).resolves.toEqual({ principal: school, traceId: '' });
    await expect(verifyInternalToken(token, 'placement')).rejects.toThrow(/another audience/);
    // The subgraph takes the request's trace id from x-trace-id, which the gateway sends with it.
    await expect(contextFromRequest({ authorization: `Bearer ${token}`, 'x-trace-id': 'tr-7' }, 'referral')).resolves.toMatchObject({ principal: school, traceId: 'tr-7' });
    const anonymous = await new InternalTokenIssuer().token(null, 'outcomes');
    await expect(verifyInternalToken(anonymous, 'outcomes')).resolves.toEqual({ principal: null, traceId: '' });
  });
});

describe('cachedInternalTokenVerifier', () => {
  it('answers like verifyInternalToken, and refuses another audience\'s token every time', async () => {
    const verify = cachedInternalTokenVerifier('referral');
    const token = await issueInternalToken({ principal: school, audience: 'referral', traceId: 'tr-1' });
    await expect(verify(token)).resolves.toEqual({ principal: school, traceId: 'tr-1' });
    await expect(verify(token)).resolves.toEqual({ principal: school, traceId: 'tr-1' });
    const other = await issueInternalToken({ principal: school, audience: 'placement', traceId: 'tr-2' });
    await expect(verify(other)).rejects.toThrow(/another audience/);
    await expect(verify(other)).rejects.toThrow(/another audience/);
  });

  it('forgets a token once it is a lifetime old', async () => {
    jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const verify = cachedInternalTokenVerifier('referral');
      const token = await issueInternalToken({ principal: school, audience: 'referral', traceId: 't' });
      expect(decodeJwt(token).exp! - decodeJwt(token).iat!).toBe(60);
      await expect(verify(token)).resolves.toEqual({ principal: school, traceId: 't' });
      jest.setSystemTime(Date.now() + 70_000);
      await expect(verify(token)).rejects.toThrow(/expired/);
    } finally {
      jest.useRealTimers();
    }
  });
});
