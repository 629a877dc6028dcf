import { currentTraceId, withTrace } from './index';

describe('withTrace', () => {
  it('keeps the trace id across awaits and restores none outside', async () => {
    expect(currentTraceId()).toBeUndefined();
    await withTrace('t-1', async () => {
      await new Promise((r) => setTimeout(r, 1));
      expect(currentTraceId()).toBe('t-1');
    });
    expect(currentTraceId()).toBeUndefined();
  });
  it('makes a trace id when none is given', () => {
    withTrace(undefined, () => expect(currentTraceId()).toMatch(/^[0-9a-f]{32}$/));
  });
});
