import { randomUUID } from 'node:crypto';
import { issueClientToken, issueInternalToken, parseOrganisation, Principal, Role } from '@ap/auth';
import type { ServiceName } from '@ap/config';

/** A principal for tests: `as('SCHOOL_USER', 'school:100001')`. */
export function principal(role: Role, org: string, userId = `${role.toLowerCase()}-${randomUUID().slice(0, 8)}`): Principal {
  return { userId, role, org: parseOrganisation(org) };
}

/** A client token, as the front ends send to the gateway. */
export const clientToken = (role: Role, org: string, userId?: string) => issueClientToken(principal(role, org, userId));

/** An internal token, as the gateway sends to one subgraph. */
export const internalToken = (service: ServiceName, p: Principal | null) =>
  issueInternalToken({ principal: p, audience: service, traceId: randomUUID() });
