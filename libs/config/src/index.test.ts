import { intSetting, parseEnvFile, serviceConfig, setting, SERVICE_NAMES } from './index';

describe('parseEnvFile', () => {
  it('reads KEY=value lines, skipping comments and blanks, keeping = inside values', () => {
    expect(parseEnvFile('# c\n\nA=1\n B = x=y \nnot a line\n')).toEqual({ A: '1', B: 'x=y' });
  });
});

describe('setting', () => {
  afterEach(() => {
    delete process.env.AP_TEST_SETTING;
  });
  it('prefers the environment over infra/stack.env', () => {
    process.env.AP_TEST_SETTING = 'from-env';
    expect(setting('AP_TEST_SETTING')).toBe('from-env');
  });
  it('falls back to infra/stack.env', () => {
    expect(setting('KAFKA_BROKERS')).toMatch(/:\d+$/);
  });
  it('names the missing setting', () => {
    expect(() => setting('AP_TEST_SETTING')).toThrow(/AP_TEST_SETTING is not set/);
  });
  it('refuses a non-integer port', () => {
    process.env.AP_TEST_SETTING = '40x';
    expect(() => intSetting('AP_TEST_SETTING')).toThrow(/whole number/);
  });
});

describe('serviceConfig', () => {
  it('gives every service its own port and database', () => {
    const configs = SERVICE_NAMES.map(serviceConfig);
    expect(new Set(configs.map((c) => c.port)).size).toBe(5);
    for (const c of configs) expect(c.databaseUrl).toMatch(new RegExp(`/${c.name.replace(/-/g, '_')}$`));
  });
});
