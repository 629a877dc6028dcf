/** The fields that identify a pupil; reading any of them is recorded (PupilReadLog in @ap/db). */
export const IDENTIFYING_FIELDS = ['upn', 'givenName', 'familyName', 'dateOfBirth'] as const;
export type IdentifyingField = (typeof IDENTIFYING_FIELDS)[number];
