import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { verifyClientToken } from '../index';
import { main, parseTokenArgs, UsageError } from './token';

describe('token CLI arguments', () => {
  it('parses role, organisation, user and ttl', () => {
    expect(parseTokenArgs(['--role', 'LA_ADMIN', '--org', 'la:865', '--user', 'alice', '--ttl', '3600'])).toEqual({
      principal: { userId: 'alice', role: 'LA_ADMIN', org: { type: 'la', id: '865' } },
      ttlSeconds: 3600,
    });
    expect(parseTokenArgs(['--role=SCHOOL_USER', '--org=school:100001'])).toEqual({
      principal: { userId: 'school-user-dev', role: 'SCHOOL_USER', org: { type: 'school', id: '100001' } },
      ttlSeconds: 8 * 3600,
    });
  });
  it.each([
    [[], /--role is required/],
    [['--role', 'LA_ADMIN'], /--org is required/],
    [['--role', 'KING', '--org', 'la:865'], /Unknown role "KING"/],
    [['--role', 'LA_ADMIN', '--org', 'la:86'], /3-digit/],
    [['--role', 'PROVIDER_USER', '--org', 'la:865'], /is for provider organisations/],
    [['--role', 'LA_ADMIN', '--org', 'la:865', '--ttl', '-5'], /--ttl needs a value|--ttl must be/],
    [['--role', 'LA_ADMIN', '--org', 'la:865', '--ttl', '1h'], /--ttl must be a positive whole number/],
    [['--role', 'LA_ADMIN', '--org'], /--org needs a value/],
    [['--role', 'LA_ADMIN', '--org', 'la:865', '--colour', 'red'], /Unknown argument "--colour"/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseTokenArgs(argv as string[])).toThrow(UsageError);
    expect(() => parseTokenArgs(argv as string[])).toThrow(message);
  });
  it('exits 2 with a usage message naming the roles and organisation formats', async () => {
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await expect(main(['--role', 'KING'])).resolves.toBe(2);
      const text = err.mock.calls.map((c) => String(c[0])).join('');
      expect(text).toMatch(/Unknown role "KING"/);
      expect(text).toMatch(/LA_ADMIN, LA_OFFICER, SCHOOL_USER, PROVIDER_USER, QA_OFFICER, ANALYST, MIS_CLIENT/);
      expect(text).toMatch(/school:<6-digit URN>/);
      expect(out).not.toHaveBeenCalled();
    } finally {
      err.mockRestore();
      out.mockRestore();
    }
  });
  it('prints only the token when run', async () => {
    const root = join(__dirname, '..', '..', '..', '..');
    const r = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [join(__dirname, 'token.ts'), '--role', 'PROVIDER_USER', '--org', 'provider:0f8fad5b-d9cb-469f-a165-70867728950e', '--user', 'pat'], {
      encoding: 'utf8',
      env: { ...process.env, NODE_ENV: 'test' },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    await expect(verifyClientToken(r.stdout.trim())).resolves.toMatchObject({ userId: 'pat', role: 'PROVIDER_USER' });
  }, 20000);
});
