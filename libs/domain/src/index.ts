/**
 * @ap/domain: the statutory rules of alternative provision in England as pure functions.
 * No I/O anywhere; every function documents the regulation or guidance it implements. The one
 * clock (src/clock.ts) is here too, so that every service reads "today" from one place tests can set.
 */
export * from './errors';
export * from './dates';
export * from './clock';
export * from './upn';
export * from './calendar';
export * from './calendar-data';
export * from './year-group';
export * from './attendance';
export * from './attendance-rate';
export * from './timetable';
export * from './off-site-direction';
export * from './unregistered-ap';
export * from './local-offer';
export * from './offer-choice';
export * from './census-ap';
