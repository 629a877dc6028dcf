/**
 * A believable directory for the demo: two LAs (Wiltshire 865, Swindon 866), their schools, and a
 * dozen providers around Devizes, Trowbridge, Salisbury, Chippenham and Swindon with offers across
 * key stages and needs; most approved, one applied, one suspended. Idempotent: it runs only while
 * the LA has no offers in its directory yet.
 */
type Call = (token: string, query: string, variables?: Record<string, unknown>) => Promise<any>;

interface DemoProvider {
  la: '865' | '866';
  name: string;
  postcode: string;
  latitude: number;
  longitude: number;
  status: 'APPROVED' | 'APPLIED' | 'SUSPENDED';
  offers: { name: string; keyStages: string[]; needs: string[]; deliveryModes: string[]; pricePerDay: number; capacity: number; vocationalAreas?: string[] }[];
}

const PROVIDERS: DemoProvider[] = [
  { la: '865', name: 'Horizons Learning Centre', postcode: 'SN10 1AA', latitude: 51.352, longitude: -1.994, status: 'APPROVED', offers: [
    { name: 'KS3 SEMH day programme', keyStages: ['KS3'], needs: ['SEMH'], deliveryModes: ['ON_SITE'], pricePerDay: 135, capacity: 8 },
    { name: 'KS4 GCSE re-engagement', keyStages: ['KS4'], needs: ['SEMH', 'MLD'], deliveryModes: ['ON_SITE', 'ONLINE'], pricePerDay: 150, capacity: 6 },
  ] },
  { la: '865', name: 'Kennet Valley Farm School', postcode: 'SN10 3QA', latitude: 51.33, longitude: -1.93, status: 'APPROVED', offers: [
    { name: 'Land-based learning', keyStages: ['KS3', 'KS4'], needs: ['SEMH', 'ASD'], deliveryModes: ['ON_SITE'], pricePerDay: 120, capacity: 10, vocationalAreas: ['Agriculture', 'Animal care'] },
  ] },
  { la: '865', name: 'Trowbridge Skills Hub', postcode: 'BA14 8AA', latitude: 51.319, longitude: -2.208, status: 'APPROVED', offers: [
    { name: 'Construction taster', keyStages: ['KS4'], needs: ['SEMH', 'MLD', 'SPLD'], deliveryModes: ['ON_SITE'], pricePerDay: 110, capacity: 12, vocationalAreas: ['Construction'] },
    { name: 'Motor vehicle basics', keyStages: ['KS4', 'KS5'], needs: ['OTHER'], deliveryModes: ['ON_SITE'], pricePerDay: 125, capacity: 6, vocationalAreas: ['Motor vehicle'] },
  ] },
  { la: '865', name: 'Salisbury Plain Outreach', postcode: 'SP1 1AA', latitude: 51.069, longitude: -1.794, status: 'APPROVED', offers: [
    { name: 'Home outreach tuition', keyStages: ['KS2', 'KS3'], needs: ['MEDICAL', 'ASD'], deliveryModes: ['OUTREACH'], pricePerDay: 95, capacity: 15 },
  ] },
  { la: '865', name: 'Chippenham Hospital Education Service', postcode: 'SN15 1AA', latitude: 51.459, longitude: -2.116, status: 'APPROVED', offers: [
    { name: 'Medical needs tuition', keyStages: ['KS2', 'KS3', 'KS4'], needs: ['MEDICAL'], deliveryModes: ['OUTREACH', 'ONLINE'], pricePerDay: 140, capacity: 20 },
  ] },
  { la: '865', name: 'Wiltshire Online Academy', postcode: 'SN10 2AA', latitude: 51.35, longitude: -1.99, status: 'APPROVED', offers: [
    { name: 'Online KS4 core', keyStages: ['KS4'], needs: ['ASD', 'SLCN', 'MEDICAL'], deliveryModes: ['ONLINE'], pricePerDay: 70, capacity: 30 },
  ] },
  { la: '865', name: 'Marlborough Forest School', postcode: 'SN8 1AA', latitude: 51.42, longitude: -1.73, status: 'APPLIED', offers: [
    { name: 'Forest school (primary)', keyStages: ['KS1', 'KS2'], needs: ['SEMH', 'SLCN'], deliveryModes: ['ON_SITE'], pricePerDay: 100, capacity: 8 },
  ] },
  { la: '865', name: 'Warminster Boxing Academy', postcode: 'BA12 9AA', latitude: 51.205, longitude: -2.18, status: 'SUSPENDED', offers: [
    { name: 'Sport and mentoring', keyStages: ['KS3', 'KS4'], needs: ['SEMH'], deliveryModes: ['ON_SITE'], pricePerDay: 90, capacity: 10 },
  ] },
  { la: '866', name: 'Swindon Pathways PRU', postcode: 'SN1 1AA', latitude: 51.558, longitude: -1.78, status: 'APPROVED', offers: [
    { name: 'KS3 assessment placement', keyStages: ['KS3'], needs: ['SEMH', 'OTHER'], deliveryModes: ['ON_SITE'], pricePerDay: 160, capacity: 12 },
  ] },
  { la: '866', name: 'Great Western Vocational', postcode: 'SN2 2AA', latitude: 51.575, longitude: -1.8, status: 'APPROVED', offers: [
    { name: 'Engineering and hair & beauty', keyStages: ['KS4'], needs: ['MLD', 'SPLD'], deliveryModes: ['ON_SITE'], pricePerDay: 115, capacity: 14, vocationalAreas: ['Engineering', 'Hair and beauty'] },
  ] },
  { la: '866', name: 'Coate Water Nurture Centre', postcode: 'SN3 6AA', latitude: 51.54, longitude: -1.74, status: 'APPROVED', offers: [
    { name: 'Primary nurture group', keyStages: ['KS1', 'KS2'], needs: ['SEMH', 'ASD', 'SLCN'], deliveryModes: ['ON_SITE', 'OUTREACH'], pricePerDay: 145, capacity: 6 },
  ] },
  { la: '866', name: 'Swindon Sensory Support', postcode: 'SN5 5AA', latitude: 51.56, longitude: -1.84, status: 'APPLIED', offers: [
    { name: 'Sensory impairment outreach', keyStages: ['KS2', 'KS3', 'KS4'], needs: ['HI', 'VI', 'MSI'], deliveryModes: ['OUTREACH'], pricePerDay: 175, capacity: 5 },
  ] },
];

const SCHOOLS = [
  { urn: '100001', name: 'Devizes School', phase: 'SECONDARY', laCode: '865', laName: 'Wiltshire' },
  { urn: '100002', name: 'Trowbridge Primary', phase: 'PRIMARY', laCode: '865', laName: 'Wiltshire' },
  { urn: '100003', name: 'Salisbury High', phase: 'SECONDARY', laCode: '865', laName: 'Wiltshire' },
  { urn: '100010', name: 'Swindon Academy', phase: 'SECONDARY', laCode: '866', laName: 'Swindon' },
  { urn: '100011', name: 'Old Town Primary', phase: 'PRIMARY', laCode: '866', laName: 'Swindon' },
];

export async function seedDirectory(call: Call, admins: Record<'865' | '866', string>): Promise<void> {
  const existing = await call(admins['865'], `{ searchProviders(first: 1, filter: { text: "Kennet Valley" }) { totalCount } }`);
  if (existing.searchProviders.totalCount > 0) return;
  for (const la of ['865', '866'] as const) {
    await call(admins[la], `mutation($input: [SchoolInput!]!) { importSchools(input: $input) { urn } }`, { input: SCHOOLS.filter((s) => s.laCode === la) });
  }
  for (const p of PROVIDERS) {
    const admin = admins[p.la];
    const { registerProvider } = await call(admin, `mutation($input: RegisterProviderInput!) { registerProvider(input: $input) { id } }`, {
      input: {
        name: p.name, registrationType: 'UNREGISTERED', postcode: p.postcode, address: `${p.name}, ${p.postcode}`,
        location: { latitude: p.latitude, longitude: p.longitude },
        contacts: [{ name: 'Duty manager', role: 'Designated safeguarding lead', email: 'dsl@example.org', phone: '01380 000000' }],
      },
    });
    const id = registerProvider.id as string;
    for (const o of p.offers) {
      await call(admin, `mutation($p: ID!, $input: OfferInput!) { addOffer(providerId: $p, input: $input) { id } }`, { p: id, input: { sessionsOffered: 10, ...o } });
    }
    if (p.status !== 'APPLIED') await call(admin, `mutation($id: ID!) { approveProvider(id: $id) { id } }`, { id });
    if (p.status === 'SUSPENDED') await call(admin, `mutation($id: ID!) { suspendProvider(id: $id, reason: "Demo: safeguarding concern under review") { id } }`, { id });
  }
}
