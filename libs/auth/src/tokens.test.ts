import { SignJWT, decodeJwt } from 'jose';
import {
  AuthError,
  issueClientToken,
  issueInternalToken,
  Principal,
  verifyClientToken,
  verifyInternalToken,
} from './index';

const admin: Principal = { userId: 'alice', role: 'LA_ADMIN', org: { type: 'la', id: '865' } };
const school: Principal = { userId: 'sam', role: 'SCHOOL_USER', org: { type: 'school', id: '100001' } };
const enc = (s: string) => new TextEncoder().encode(s);
const CLIENT_SECRET = 'dev-only-client-token-secret-change-me-0123456789';

function withEnv(name: string, value: string, fn: () => Promise<unknown>) {
  const before = process.env[name];
  process.env[name] = value;
  return fn().finally(() => {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  });
}

/** A client-shaped token signed with the development secret but with chosen claims. */
function craft(claims: Record<string, unknown>, { exp = '1h' as string | number, aud = 'ap-pathways', iss = 'ap-pathways-dev' } = {}) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(iss)
    .setAudience(aud)
    .setSubject('mallory')
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(enc(process.env.CLIENT_TOKEN_SECRET ?? CLIENT_SECRET));
}

describe('client tokens', () => {
  it('round-trips a principal', async () => {
    const token = await issueClientToken(school);
    await expect(verifyClientToken(token)).resolves.toEqual(school);
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: 'ap-pathways-dev', aud: 'ap-pathways', sub: 'sam', role: 'SCHOOL_USER', org: 'school:100001' });
    expect(claims.exp! - claims.iat!).toBe(8 * 3600);
  });
  it('honours ttlSeconds and refuses a nonsense one', async () => {
    const claims = decodeJwt(await issueClientToken(admin, { ttlSeconds: 60 }));
    expect(claims.exp! - claims.iat!).toBe(60);
    await expect(issueClientToken(admin, { ttlSeconds: 0 })).rejects.toThrow(AuthError);
  });
  it('refuses an expired token', async () => {
    const token = await craft({ role: 'LA_ADMIN', org: 'la:865' }, { exp: Math.floor(Date.now() / 1000) - 120 });
    await expect(verifyClientToken(token)).rejects.toThrow(/access token has expired: sign in again/);
  });
  it('refuses a token signed with another secret', async () => {
    const token = await withEnv('CLIENT_TOKEN_SECRET', 'another-secret-that-is-long-enough-0123456789', () => issueClientToken(admin));
    await expect(verifyClientToken(token as string)).rejects.toThrow(/signature is not valid/);
  });
  it('refuses another issuer or audience', async () => {
    await expect(verifyClientToken(await craft({ role: 'LA_ADMIN', org: 'la:865' }, { aud: 'elsewhere' }))).rejects.toThrow(/another audience/);
    await expect(verifyClientToken(await craft({ role: 'LA_ADMIN', org: 'la:865' }, { iss: 'evil' }))).rejects.toThrow(/not issued by ap-pathways-dev/);
  });
  it('refuses an internal token presented as a client token', async () => {
    const internal = await issueInternalToken({ principal: admin, audience: 'referral', traceId: 't' });
    await expect(verifyClientToken(internal)).rejects.toThrow(AuthError);
  });
  it('refuses role/organisation disagreement, unknown roles and malformed organisations', async () => {
    await expect(verifyClientToken(await craft({ role: 'SCHOOL_USER', org: 'la:865' }))).rejects.toThrow(/is for school organisations/);
    await expect(verifyClientToken(await craft({ role: 'SUPERUSER', org: 'la:865' }))).rejects.toThrow(/not one of/);
    await expect(verifyClientToken(await craft({ role: 'LA_ADMIN', org: 'la:86' }))).rejects.toThrow(/3-digit/);
    await expect(verifyClientToken(await craft({ role: 'LA_ADMIN' }))).rejects.toThrow(/does not name an organisation/);
  });
  it('refuses garbage and unsigned tokens', async () => {
    await expect(verifyClientToken('not.a.jwt')).rejects.toThrow(AuthError);
    await expect(verifyClientToken('')).rejects.toThrow(/No access token/);
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ sub: 'x', role: 'LA_ADMIN', org: 'la:865', iss: 'ap-pathways-dev', aud: 'ap-pathways', exp: 9999999999 })).toString('base64url');
    await expect(verifyClientToken(`${header}.${body}.`)).rejects.toThrow(AuthError);
  });
  it('will not mint a token for a role/organisation mismatch', async () => {
    await expect(issueClientToken({ ...school, org: { type: 'la', id: '865' } })).rejects.toThrow(AuthError);
  });
});

describe('internal tokens', () => {
  it('round-trips the principal and trace id for its subgraph, with a 60 s lifetime', async () => {
    const token = await issueInternalToken({ principal: school, audience: 'referral', traceId: 'trace-1' });
    await expect(verifyInternalToken(token, 'referral')).resolves.toEqual({ principal: school, traceId: 'trace-1' });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: 'ap-pathways-gateway', aud: 'subgraph:referral' });
    expect(claims.exp! - claims.iat!).toBe(60);
  });
  it('carries an anonymous (null) principal', async () => {
    const token = await issueInternalToken({ principal: null, audience: 'outcomes', traceId: 't' });
    await expect(verifyInternalToken(token, 'outcomes')).resolves.toEqual({ principal: null, traceId: 't' });
  });
  it('refuses a token for another subgraph (referral token at placement)', async () => {
    const token = await issueInternalToken({ principal: admin, audience: 'referral', traceId: 't' });
    await expect(verifyInternalToken(token, 'placement')).rejects.toThrow(/another audience, not subgraph:placement/);
  });
  it('refuses a client token, and a token signed with the client secret', async () => {
    await expect(verifyInternalToken(await issueClientToken(admin), 'referral')).rejects.toThrow(AuthError);
    const forged = await new SignJWT({ role: 'LA_ADMIN', org: 'la:865', trace: 't' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('ap-pathways-gateway')
      .setAudience('subgraph:referral')
      .setSubject('x')
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(enc(CLIENT_SECRET));
    await expect(verifyInternalToken(forged, 'referral')).rejects.toThrow(/signature is not valid/);
  });
  it('refuses an expired internal token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const old = await new SignJWT({ trace: 't' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('ap-pathways-gateway')
      .setAudience('subgraph:referral')
      .setIssuedAt(now - 200)
      .setExpirationTime(now - 140)
      .sign(enc('dev-only-internal-token-secret-change-me-0123456789'));
    await expect(verifyInternalToken(old, 'referral')).rejects.toThrow(/expired/);
  });
});
