import { withTrace } from '@ap/logger';
import { newEvent } from './envelope';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('newEvent', () => {
  it('fills in the id, version, time and a trace id', () => {
    const before = Date.now();
    const event = newEvent({ type: 'pupil.registered', producer: 'referral', key: 'k1', payload: { pupilId: 'p' } });
    expect(event).toMatchObject({ type: 'pupil.registered', version: 1, producer: 'referral', key: 'k1', payload: { pupilId: 'p' } });
    expect(event.id).toMatch(UUID);
    expect(event.traceId).toMatch(UUID);
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
});
