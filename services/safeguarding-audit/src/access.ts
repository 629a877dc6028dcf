import type { AccessTable } from '@ap/auth';

/**
 * Who may do what with safeguarding audits: for each operation, each role's organisation relation
 * (libs/auth/src/access.ts explains them). The shield's role gates are built from this table and
 * the use cases check the relations with mayAccess() against the provider's LA, which this service
 * learns from the directory's events; gateway/test/e2e/access-walk.test.ts walks it.
 * QA officers and LA admins of the provider's LA run the whole cycle; the provider answers its own
 * self-assessment, reads its own audits (ratings once completed) and visits, and closes its actions;
 * schools see a provider's compliance and last audit date only; analysts see counts by rating.
 */
const auditReaders = { QA_OFFICER: 'providersLa', LA_ADMIN: 'providersLa', LA_OFFICER: 'providersLa', PROVIDER_USER: 'sameProvider', SCHOOL_USER: 'denied', ANALYST: 'denied', MIS_CLIENT: 'denied' } as const;
const officers = { QA_OFFICER: 'providersLa', LA_ADMIN: 'providersLa', LA_OFFICER: 'denied', PROVIDER_USER: 'denied', SCHOOL_USER: 'denied', ANALYST: 'denied', MIS_CLIENT: 'denied' } as const;
const providerOnly = { QA_OFFICER: 'denied', LA_ADMIN: 'denied', LA_OFFICER: 'denied', PROVIDER_USER: 'sameProvider', SCHOOL_USER: 'denied', ANALYST: 'denied', MIS_CLIENT: 'denied' } as const;
const hidden = 'an unknown id and another LA’s (or provider’s) answer alike: NOT_FOUND, nothing written';

export const safeguardingAccess: AccessTable = {
  'Query.audit': { roles: auditReaders, refusal: 'NULL', note: 'QA and LA staff of the provider’s LA; the provider its own (ratings once completed)' },
  'Query.auditTemplates': {
    roles: { QA_OFFICER: 'any', LA_ADMIN: 'any', LA_OFFICER: 'any', PROVIDER_USER: 'any', SCHOOL_USER: 'denied', ANALYST: 'denied', MIS_CLIENT: 'denied' },
    refusal: 'FORBIDDEN',
    note: 'templates hold no organisation’s data',
  },
  'Query.auditRatingCounts': {
    roles: { QA_OFFICER: 'self', LA_ADMIN: 'self', LA_OFFICER: 'self', ANALYST: 'self', PROVIDER_USER: 'denied', SCHOOL_USER: 'denied', MIS_CLIENT: 'denied' },
    refusal: 'FORBIDDEN',
    note: 'counts of the caller’s own LA’s providers only',
  },
  'Provider.audits': { roles: auditReaders, refusal: 'FILTERED', note: 'the same rule as Query.audit' },
  'Provider.monitoringVisits': { roles: auditReaders, refusal: 'FILTERED', note: 'the provider sees its own visits’ findings' },
  'Provider.safeguardingCompliance': {
    roles: {
      QA_OFFICER: 'providersLaOrApproved',
      LA_ADMIN: 'providersLaOrApproved',
      LA_OFFICER: 'providersLaOrApproved',
      SCHOOL_USER: 'approvedProvider',
      PROVIDER_USER: 'sameProvider',
      ANALYST: 'denied',
      MIS_CLIENT: 'denied',
    },
    refusal: 'NULL',
    note: 'compliance and the date of the last audit, as the local offer shows them',
  },
  'Mutation.completeAudit': { roles: officers, refusal: 'NOT_FOUND', note: 'an unknown provider and another LA’s provider answer alike: NOT_FOUND, nothing written' },
  'Mutation.publishAuditTemplate': {
    roles: { QA_OFFICER: 'any', LA_ADMIN: 'any', LA_OFFICER: 'denied', PROVIDER_USER: 'denied', SCHOOL_USER: 'denied', ANALYST: 'denied', MIS_CLIENT: 'denied' },
    refusal: 'FORBIDDEN', note: 'a new version never changes audits on an older one' },
  'Mutation.scheduleAudit': { roles: officers, refusal: 'NOT_FOUND', note: hidden },
  'Mutation.saveSelfAssessment': { roles: providerOnly, refusal: 'NOT_FOUND', note: hidden },
  'Mutation.submitSelfAssessment': { roles: providerOnly, refusal: 'NOT_FOUND', note: hidden },
  'Mutation.rateAudit': { roles: officers, refusal: 'NOT_FOUND', note: hidden },
  'Mutation.addAuditAction': { roles: officers, refusal: 'NOT_FOUND', note: hidden },
  'Mutation.closeAuditAction': { roles: { QA_OFFICER: 'providersLa', LA_ADMIN: 'providersLa', LA_OFFICER: 'denied', PROVIDER_USER: 'sameProvider', SCHOOL_USER: 'denied', ANALYST: 'denied', MIS_CLIENT: 'denied' }, refusal: 'NOT_FOUND', note: hidden },
  'Mutation.completeScheduledAudit': { roles: officers, refusal: 'NOT_FOUND', note: hidden },
  'Mutation.closeFollowUp': {
    roles: { QA_OFFICER: 'providersLa', LA_ADMIN: 'providersLa', LA_OFFICER: 'denied', PROVIDER_USER: 'sameProvider', SCHOOL_USER: 'denied', ANALYST: 'denied', MIS_CLIENT: 'denied' },
    refusal: 'NOT_FOUND',
    note: hidden,
  },
  'Mutation.recordMonitoringVisit': { roles: officers, refusal: 'NOT_FOUND', note: hidden },
};
