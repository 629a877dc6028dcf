import { withTrace } from '@ap/logger';
import { newEvent } from './envelope';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('newEvent', () => {
  it('fills in the id, version, time and a trace id', () => {
    const before = Date.now();
    const event = newEvent({ type: 'pupil.registered', producer: 'referral', key: 'k1', payload: { pupilId: 'p' } });
    expect(event).toMatchObject({ type: 'pupil.registered', version: 1, producer: 'referral', key: 'k1', payload: { pupilId: 'p' } });
    expect(event.id).toMatch(UUID);
    // A trace of its own when made outside any (a W3C trace id, as OpenTelemetry's).
    expect(event.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(event.traceparent).toBeUndefined();
    expect(Date.parse(event.occurredAt)).toBeGreaterThanOrEqual(before - 1);
    expect(new Date(event.occurredAt).toISOString()).toBe(event.occurredAt);
  });

  it('gives every event its own id', () => {
    const make = () => newEvent({ type: 'pupil.registered', producer: 'referral', key: 'k', payload: { pupilId: 'p' } });
    expect(make().id).not.toBe(make().id);
  });

  it('carries the current trace, unless one is given', () => {
    const traced = withTrace('trace-123', () => newEvent({ type: 'pupil.registered', producer: 'x', key: 'k', payload: { pupilId: 'p' } }));
    expect(traced.traceId).toBe('trace-123');
    const explicit = withTrace('trace-123', () => newEvent({ type: 'pupil.registered', version: 2, producer: 'x', key: 'k', payload: { pupilId: 'p' }, traceId: 'mine' }));
    expect(explicit).toMatchObject({ traceId: 'mine', version: 2 });
  });

  it("carries the current trace's context for the consumer's span, and none for another trace", () => {
    const T = '4bf92f3577b34da6a3ce929d0e0e4736';
    const traced = withTrace(T, () => newEvent({ type: 'pupil.registered', producer: 'x', key: 'k', payload: { pupilId: 'p' } }));
    expect(traced.traceId).toBe(T);
    expect(traced.traceparent).toMatch(new RegExp(`^00-${T}-[0-9a-f]{16}-0[01]$`));
    const other = withTrace(T, () => newEvent({ type: 'pupil.registered', producer: 'x', key: 'k', payload: { pupilId: 'p' }, traceId: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' }));
    expect(other.traceparent).toBeUndefined();
  });
});
