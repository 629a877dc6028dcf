/**
 * The public local offer (the LA's published list of AP, which other LAs and the public see):
 * APPROVED providers whose safeguarding compliance is not found wanting (NON_COMPLIANT) or out of
 * date (EXPIRED). Other LAs see a provider only as its local offer shows it.
 */
export const COMPLIANCE_OUTSIDE_LOCAL_OFFER = ['NON_COMPLIANT', 'EXPIRED'] as const;

/**
 * Whether the local offer shows a provider. An unknown compliance (null or absent) is not shown:
 * a provider whose standing is not known is not published.
 */
export function shownInLocalOffer(provider: { approved: boolean | null | undefined; compliance: string | null | undefined }): boolean {
  if (provider.approved !== true || !provider.compliance) return false;
  return !(COMPLIANCE_OUTSIDE_LOCAL_OFFER as readonly string[]).includes(provider.compliance);
}
