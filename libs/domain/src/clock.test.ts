import { now, setClock, today } from './clock';

describe('clock', () => {
  afterEach(() => setClock(undefined));

  it('runs with the system clock by default', () => {
    const before = Date.now();
    const t = now().getTime();
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Date.now());
    expect(today()).toBe(new Date().toISOString().slice(0, 10));
  });

  it('can be stopped at a date, and then gives that date and instant', () => {
    setClock('2025-09-01T08:30:00Z');
    expect(today()).toBe('2025-09-01');
    expect(now().toISOString()).toBe('2025-09-01T08:30:00.000Z');
  });

  it('gives each caller its own Date, so changing one does not move the clock', () => {
    setClock('2025-09-01T00:00:00Z');
    now().setUTCFullYear(1999);
    expect(today()).toBe('2025-09-01');
  });

  it('runs again once unset', () => {
    setClock('2001-01-01');
    setClock(undefined);
    expect(today()).toBe(new Date().toISOString().slice(0, 10));
  });

  it('refuses what is not a date', () => {
    expect(() => setClock('soon')).toThrow(/"soon" is not a date/);
  });
});
