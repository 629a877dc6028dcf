import { mayAccess, Principal, relationOf } from '@ap/auth';
import { outcomesAccess } from '../access';

/**
 * Outcomes are aggregates, with no pupil in them: analysts, LA and QA staff read the figures of
 * providers in their LA's directory; a provider reads its own (src/access.ts). `providerLaCode`
 * is null for a provider this service has not heard of from the directory.
 */
export function canReadProviderOutcomes(p: Principal, providerId: string, providerLaCode: string | null): boolean {
  return mayAccess(outcomesAccess, 'Query.providerOutcomes', p, { providerIds: [providerId], providerLaCode });
}

/** Which placements a caller's figures and rows come from: its LA's pupils, its school's, or its provider's. */
export type OutcomeScope = { laCode: string } | { schoolUrn: string } | { providerId: string };

/**
 * The one slice of the read model a list operation shows this caller, from its row of the table:
 * pupilsLa → the placements of pupils of its LA, sameSchool → its school's, sameProvider → its
 * provider's. Null for a role the row denies (the shield has refused it already).
 */
export function outcomeScope(operation: string, p: Principal): OutcomeScope | null {
  const relation = relationOf(outcomesAccess, operation, p.role);
  if (relation === 'pupilsLa' && p.org.type === 'la') return { laCode: p.org.id };
  if (relation === 'sameSchool' && p.org.type === 'school') return { schoolUrn: p.org.id };
  if (relation === 'sameProvider' && p.org.type === 'provider') return { providerId: p.org.id };
  return null;
}

/** What a record about a pupil's placement is checked against: its school, provider and the pupil's LA. */
export interface PlacementFacts {
  schoolUrns: (string | null)[];
  providerIds: string[];
  pupilLaCode: string | null;
}

/** May the caller do `operation` to a pupil or placement with these facts (records, CAFE reviews, census)? */
export function mayTouch(operation: string, p: Principal, facts: PlacementFacts): boolean {
  return mayAccess(outcomesAccess, operation, p, { schoolUrns: facts.schoolUrns, providerIds: facts.providerIds, pupilLaCode: facts.pupilLaCode });
}

/** An analyst sees rows pseudonymised; the others who may read rows see the pupil's id (theirs to know). */
export const seesPseudonyms = (p: Principal): boolean => p.role === 'ANALYST';
