import type { Principal } from '@ap/auth';

/**
 * Outcomes are aggregates, with no pupil in them: analysts, LA and QA staff read any provider's;
 * a provider reads its own.
 */
export function canReadProviderOutcomes(p: Principal, providerId: string): boolean {
  if (p.role === 'PROVIDER_USER') return p.org.id === providerId;
  return p.role === 'ANALYST' || p.role === 'LA_ADMIN' || p.role === 'LA_OFFICER' || p.role === 'QA_OFFICER';
}
