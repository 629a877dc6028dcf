import { mayAccess, Principal } from '@ap/auth';
import { outcomesAccess } from '../access';

/**
 * Outcomes are aggregates, with no pupil in them: analysts, LA and QA staff read the figures of
 * providers in their LA's directory; a provider reads its own (src/access.ts). `providerLaCode`
 * is null for a provider this service has not heard of from the directory.
 */
export function canReadProviderOutcomes(p: Principal, providerId: string, providerLaCode: string | null): boolean {
  return mayAccess(outcomesAccess, 'Query.providerOutcomes', p, { providerIds: [providerId], providerLaCode });
}
