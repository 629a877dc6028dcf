/**
 * The school census' "AP placements arranged by schools" module, one row per placement the school
 * arranged that is open on census day, following the School census 2025 to 2026 guide's data
 * items: UPN; the AP setting's URN, else its UKPRN, else its type of setting (never more than one);
 * entry and leaving dates; attendance pattern; sessions per week; reason.
 */
export const CENSUS_AP_COLUMNS = ['UPN', 'APPlacementURN', 'APPlacementUKPRN', 'APPlacementTypeOfSetting', 'EntryDate', 'LeavingDate', 'AttendancePattern', 'SessionsPerWeek', 'Reason'] as const;

/** Type of setting for a provider with neither URN nor UKPRN (the census' codes). */
export type CensusSettingType = 'NFE' | 'OOT' | 'OTH' | 'WBP';

/** The census' rule: URN where the setting has one, else UKPRN, else the type of setting. */
export function censusSetting(provider: { urn?: string | null; ukprn?: string | null; registrationType?: string | null }): { urn: string | null; ukprn: string | null; typeOfSetting: CensusSettingType | null } {
  if (provider.urn) return { urn: provider.urn, ukprn: null, typeOfSetting: null };
  if (provider.ukprn) return { urn: null, ukprn: provider.ukprn, typeOfSetting: null };
  // The directory's registration types without a URN or UKPRN: an FE college is non-maintained FE, the rest other unregistered providers.
  return { urn: null, ukprn: null, typeOfSetting: provider.registrationType === 'FE_COLLEGE' ? 'NFE' : 'OTH' };
}

/** Open on census day: started on or before it and not left before it. */
export function openOnCensusDay(entry: string, leaving: string | null, censusDate: string): boolean {
  return entry <= censusDate && (leaving === null || leaving >= censusDate);
}
