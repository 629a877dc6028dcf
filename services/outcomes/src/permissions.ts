import { allowFields, permissionsFromTable } from '@ap/auth';
import { outcomesAccess } from './access';

/** Role gates from the access table (src/access.ts); src/domain/access.ts checks the provider's LA. */
export const permissions = permissionsFromTable('outcomes', outcomesAccess, {
  ProviderOutcomes: allowFields(),
  Provider: allowFields(),
  Pupil: allowFields(),
  OutcomeGroup: allowFields(),
  OutcomeGroupKey: allowFields(),
  OutcomeRow: allowFields(),
  OutcomeRowPage: allowFields(),
  CafeReview: allowFields(),
  CafeReviewCase: allowFields(),
  SchoolUsage: allowFields(),
  PathwayEdge: allowFields(),
  CensusApPlacement: allowFields(),
  AttainmentRecord: allowFields(),
  DestinationRecord: allowFields(),
  SuspensionRecord: allowFields(),
});
