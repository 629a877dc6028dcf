import { readdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { assertValidEvent, ContractError, CONTRACTS_DIR, knownContracts, validateEvent } from './contracts';
import { newEvent } from './envelope';
import type { EventType } from './payloads';

const accepted = (payload: Record<string, unknown> = {}) =>
  newEvent({
    type: 'referral.accepted',
    producer: 'referral',
    key: 'ref-1',
    payload: {
      referralId: randomUUID(),
      pupilId: randomUUID(),
      providerId: randomUUID(),
      schoolUrn: '123456',
      reason: 'Persistent absence',
      acceptedAt: '2025-01-31T09:00:00.000Z',
      ...payload,
    },
  });

const errorsOf = (event: unknown) => {
  const result = validateEvent(event);
  return result.ok ? [] : result.errors;
};

describe('event contracts', () => {
  it('has a contract for every event the services exchange', () => {
    expect(knownContracts().sort()).toEqual(
      [
        'audit.completed.v1',
        'placement.planned.v1',
        'placement.started.v1',
        'provider.approved.v1',
        'provider.registered.v1',
        'pupil.registered.v1',
        'pupil.cohort_changed.v1',
        'referral.accepted.v1',
        'referral.submitted.v1',
        'school.registered.v1',
        'provider.suspended.v1',
        'provider.withdrawn.v1',
        'provider.reinstated.v1',
        'provider.compliance_changed.v1',
        'provider.registration_required.v1',
        'placement.ended.v1',
        'placement.cancelled.v1',
        'placement.review_recorded.v1',
        'referral.declined.v1',
        'referral.withdrawn.v1',
        'referral.day6_at_risk.v1',
        'attendance.day_summarised.v1',
        'attendance.days_summarised.v1',
        'attendance.absence_unexplained.v1',
        'offer.changed.v1',
        'outcome.attainment_recorded.v1',
        'outcome.destination_recorded.v1',
        'outcome.suspension_recorded.v1',
      ].sort(),
    );
    expect(readdirSync(CONTRACTS_DIR)).toContain('envelope.json');
  });

  it('has a contract for each type of EventPayloads, and a type for each contract', () => {
    // `satisfies` fails to compile if this list misses an EventType or names one that is not.
    const types = {
      'referral.submitted': true,
      'referral.accepted': true,
      'placement.planned': true,
      'placement.started': true,
      'audit.completed': true,
      'provider.registered': true,
      'provider.approved': true,
      'pupil.registered': true,
      'pupil.cohort_changed': true,
      'school.registered': true,
      'provider.suspended': true,
      'provider.withdrawn': true,
      'provider.reinstated': true,
      'provider.compliance_changed': true,
      'provider.registration_required': true,
      'placement.ended': true,
      'placement.cancelled': true,
      'placement.review_recorded': true,
      'referral.declined': true,
      'referral.withdrawn': true,
      'referral.day6_at_risk': true,
      'attendance.day_summarised': true,
      'attendance.days_summarised': true,
      'attendance.absence_unexplained': true,
      'offer.changed': true,
      'outcome.attainment_recorded': true,
      'outcome.destination_recorded': true,
      'outcome.suspension_recorded': true,
    } satisfies Record<EventType, true>;
    expect([...new Set(knownContracts().map((c) => c.replace(/\.v\d+$/, '')))].sort()).toEqual(Object.keys(types).sort());
  });

  it('accepts an event that keeps its contract', () => {
    expect(validateEvent(accepted())).toEqual({ ok: true });
    expect(() => assertValidEvent(accepted())).not.toThrow();
  });

  it('carries the LA of a registered provider, and still takes events written before it was added', () => {
    const registered = (extra: Record<string, unknown>) =>
      newEvent({ type: 'provider.registered', producer: 'directory', key: 'p', payload: { providerId: randomUUID(), name: 'Horizons', registrationType: 'UNREGISTERED', ...extra } });
    expect(validateEvent(registered({ laCode: '865' }))).toEqual({ ok: true });
    expect(validateEvent(registered({}))).toEqual({ ok: true });
    expect(errorsOf(registered({ laCode: '86' })).join()).toMatch(/payload\/laCode/);
  });

  it('carries an offer as the directory changed it, and refuses a negative capacity or an unknown key stage', () => {
    const changed = (extra: Record<string, unknown>) =>
      newEvent({
        type: 'offer.changed',
        producer: 'directory',
        key: 'o',
        payload: { offerId: randomUUID(), providerId: randomUUID(), laCode: '865', open: true, capacity: 6, keyStages: ['KS3', 'KS4'], pricePerDay: 120.5, effectiveAt: new Date().toISOString(), ...extra },
      });
    expect(validateEvent(changed({}))).toEqual({ ok: true });
    expect(validateEvent(changed({ open: false, capacity: 0 }))).toEqual({ ok: true });
    expect(errorsOf(changed({ capacity: -1 })).join()).toMatch(/payload\/capacity/);
    expect(errorsOf(changed({ keyStages: ['KS9'] })).join()).toMatch(/payload\/keyStages\/0/);
    expect(errorsOf(changed({ open: 'yes' })).join()).toMatch(/payload\/open/);
  });

  it('carries a pupil’s cohort facts on a referral, never a name or date of birth, and takes events written before them', () => {
    const cohort = { homeLaCode: '865', senStatus: 'EHCP', pupilPremium: true, lookedAfter: false, hasSocialWorker: true, yearGroup: 10, keyStage: 'KS4', academicYear: '2025/26' };
    expect(validateEvent(accepted({ cohort, day6Deadline: '2025-02-07', currentAttendancePercent: 62.5 }))).toEqual({ ok: true });
    expect(validateEvent(accepted({ cohort: null, day6Deadline: null, currentAttendancePercent: null }))).toEqual({ ok: true });
    expect(errorsOf(accepted({ cohort: { ...cohort, dateOfBirth: '2010-01-01' } })).join()).toMatch(/additional properties \(dateOfBirth\)/);
    expect(errorsOf(accepted({ cohort: { ...cohort, senStatus: 'SOME' } })).join()).toMatch(/payload\/cohort\/senStatus/);
    expect(errorsOf(accepted({ currentAttendancePercent: 101 })).join()).toMatch(/currentAttendancePercent/);
  });

  it('refuses a wrong field', () => {
    expect(errorsOf(accepted({ schoolUrn: '12345' })).join()).toMatch(/payload\/schoolUrn/);
    expect(errorsOf(accepted({ pupilId: 'not-a-uuid' })).join()).toMatch(/payload\/pupilId.*uuid/);
    expect(errorsOf(accepted({ acceptedAt: 'yesterday' })).join()).toMatch(/payload\/acceptedAt.*date-time/);
  });

  it('refuses a missing field', () => {
    const event = accepted();
    delete (event.payload as Partial<typeof event.payload>).reason;
    expect(errorsOf(event).join()).toMatch(/must have required property 'reason'/);
  });

  it('refuses an extra field, so personal data cannot slip into an event', () => {
    // referral.accepted declares the pupil's UPN (for the placement service's MIS writeback, its only consumer); nothing else of the pupil.
    expect(errorsOf(accepted({ givenName: 'Sam' })).join()).toMatch(/additional properties \(givenName\)/);
    expect(errorsOf(accepted({ upn: 'not a upn' })).join()).toMatch(/payload\/upn/);
    expect(errorsOf({ ...accepted(), extra: 1 }).join()).toMatch(/envelope.*additional properties \(extra\)/);
  });

  it('refuses a broken envelope', () => {
    expect(errorsOf({ ...accepted(), id: 'x' }).join()).toMatch(/envelope\/id/);
    const { traceId: _t, ...noTrace } = accepted();
    expect(errorsOf(noTrace).join()).toMatch(/traceId/);
    expect(errorsOf('not an object').length).toBeGreaterThan(0);
  });

  it('takes an optional W3C traceparent, and refuses a malformed one', () => {
    const { traceparent: _p, ...older } = accepted();
    expect(errorsOf(older)).toEqual([]);
    expect(errorsOf({ ...accepted(), traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' })).toEqual([]);
    expect(errorsOf({ ...accepted(), traceparent: 'trace-42' }).join()).toMatch(/envelope\/traceparent/);
  });

  it('refuses an unknown type or version', () => {
    expect(errorsOf({ ...accepted(), type: 'referral.vanished' })).toEqual(['no contract for referral.vanished v1 in schemas/events']);
    expect(errorsOf({ ...accepted(), version: 2 })).toEqual(['no contract for referral.accepted v2 in schemas/events']);
  });

  it('checks enums', () => {
    const audit = (rating: string) =>
      newEvent({
        type: 'audit.completed',
        producer: 'safeguarding-audit',
        key: 'a',
        // A rating outside the enum, on purpose: the contract must refuse it at run time.
        payload: { auditId: randomUUID(), providerId: randomUUID(), rating: rating as 'GREEN', compliance: 'COMPLIANT', completedAt: new Date().toISOString() },
      });
    expect(validateEvent(audit('AMBER'))).toEqual({ ok: true });
    expect(errorsOf(audit('PURPLE')).join()).toMatch(/payload\/rating/);
  });

  it('throws a ContractError naming the type and the problems', () => {
    let caught: unknown;
    try {
      assertValidEvent(accepted({ schoolUrn: 'abc' }));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ContractError);
    expect((caught as ContractError).eventType).toBe('referral.accepted');
    expect((caught as ContractError).message).toMatch(/referral\.accepted v1.*schoolUrn/);
  });
});
