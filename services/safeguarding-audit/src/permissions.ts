import { allowFields, buildPermissions, rules } from '@ap/auth';

const auditReaders = rules.hasRole('QA_OFFICER', 'LA_ADMIN', 'LA_OFFICER', 'PROVIDER_USER');

/** QA officers and LA admins complete audits; the use cases scope reads to the caller's provider. */
export const permissions = buildPermissions({
  Query: { audit: auditReaders },
  Mutation: { completeAudit: rules.hasRole('QA_OFFICER', 'LA_ADMIN') },
  Audit: allowFields(),
  Provider: allowFields({ audits: auditReaders }),
});
