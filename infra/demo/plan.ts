/**
 * What the demo loads, as plain data made from a size (no I/O, deterministic): the LAs, their
 * schools, the providers with their offers and where each ends up (approved, applied, suspended,
 * non-compliant…), the pupils and the story each one's case takes. Every name is made up, and every
 * record has a natural key (URN, UPN, provider name, offer name) by which a second run finds it.
 *
 * A smaller size is a part of a larger one, record for record (each made from its own index, never
 * from the size): `npm run demo` after `npm start`'s small demo finds the small one's schools,
 * providers and pupils as it would have made them, and grows it.
 */
import { upnCheckLetter } from '@ap/domain';

export type DemoSize = 'small' | 'standard' | 'large';
export const SIZES: Record<DemoSize, { schools: number; providers: number; pupils: number }> = {
  // npm start
  small: { schools: 6, providers: 8, pupils: 40 },
  // npm run demo: what a believable pair of LAs looks like
  standard: { schools: 30, providers: 20, pupils: 300 },
  // npm run demo -- --size large: for benchmarks
  large: { schools: 100, providers: 60, pupils: 3000 },
};

export interface DemoLa {
  code: '865' | '866';
  /** Obviously not a real council. */
  name: string;
  centre: { latitude: number; longitude: number };
}

export const LAS: DemoLa[] = [
  { code: '865', name: 'Demoshire', centre: { latitude: 51.35, longitude: -1.99 } },
  { code: '866', name: 'Sampleton', centre: { latitude: 51.56, longitude: -1.78 } },
];

export interface DemoSchool {
  urn: string;
  name: string;
  phase: 'PRIMARY' | 'SECONDARY';
  laCode: DemoLa['code'];
}

export interface DemoOffer {
  name: string;
  keyStages: string[];
  needs: string[];
  deliveryModes: string[];
  pricePerDay: number;
  capacity: number;
  sessionsOffered: number;
  vocationalAreas?: string[];
}

/** Where a provider ends up. NON_COMPLIANT: approved, then a RED audit. */
export type ProviderOutcome = 'APPROVED' | 'APPLIED' | 'SUSPENDED' | 'NON_COMPLIANT';

export interface DemoProvider {
  name: string;
  laCode: DemoLa['code'];
  registrationType: string;
  /** A registered school, PRU or AP academy's DfE URN (made up: 79xxxx); an FE college's UKPRN (made up: 1999xxxx). */
  urn?: string;
  ukprn?: string;
  postcode: string;
  location: { latitude: number; longitude: number };
  outcome: ProviderOutcome;
  offers: DemoOffer[];
  /** Its safeguarding record: a completed audit with this rating, a scheduled one, or none yet. */
  audit?: 'GREEN' | 'AMBER' | 'RED' | 'SCHEDULED';
  visit: boolean;
}

/** Where a pupil's case ends up: a referral in each state, and placements in each. */
export type Story =
  | 'DRAFT'
  | 'SUBMITTED'
  | 'UNDER_REVIEW'
  | 'DECLINED'
  | 'WITHDRAWN'
  | 'LA_PANEL'
  | 'DAY6'
  | 'PLANNED'
  | 'ACTIVE'
  | 'ACTIVE_REVIEW_OVERDUE'
  | 'REINTEGRATED'
  | 'PART_TIME'
  | 'CANCELLED';

/** How often each story comes round, out of 40: most cases are active placements, every state is there. */
const STORY_CYCLE: Story[] = (
  [
    ['ACTIVE', 9], ['SUBMITTED', 4], ['DRAFT', 3], ['UNDER_REVIEW', 3], ['PLANNED', 3], ['REINTEGRATED', 3], ['ACTIVE_REVIEW_OVERDUE', 3],
    ['PART_TIME', 3], ['DECLINED', 3], ['WITHDRAWN', 2], ['LA_PANEL', 2], ['CANCELLED', 1], ['DAY6', 1],
  ] as [Story, number][]
).flatMap(([story, n]) => Array.from({ length: n }, () => story));

export interface DemoPupil {
  upn: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  schoolUrn: string;
  laCode: DemoLa['code'];
  senStatus: 'NONE' | 'SEN_SUPPORT' | 'EHCP';
  story: Story;
}

export interface DemoPlan {
  size: DemoSize;
  las: DemoLa[];
  schools: DemoSchool[];
  providers: DemoProvider[];
  pupils: DemoPupil[];
}

const PLACE = ['Bramblewick', 'Puddleford', 'Larkspur', 'Thistledown', 'Copperkettle', 'Marrowvale', 'Quillfeather', 'Hazelnook', 'Tumbleweir', 'Wobbleton',
  'Fernhollow', 'Mossbury', 'Pennywhistle', 'Crumblecombe', 'Dapplemere', 'Gorsefield', 'Nettlebed', 'Ambergate', 'Tinkerford', 'Muddlecombe'];
const PROVIDER_KIND = ['Learning Centre', 'Skills Hub', 'Farm School', 'Outreach', 'Nurture Base', 'Tuition Service', 'Vocational Studio', 'Forest School'];
const SCHOOL_KIND = ['Academy', 'High School', 'Primary', 'Community College', 'Junior School'];
const GIVEN = ['Alfie', 'Bea', 'Cas', 'Dot', 'Eli', 'Fen', 'Gus', 'Hal', 'Ivy', 'Jem', 'Kit', 'Lou', 'Mo', 'Nell', 'Ozzy', 'Pip', 'Rue', 'Sol', 'Tam', 'Viv'];
const FAMILY = ['Examplesson', 'Placeholder', 'Testwood', 'Mockridge', 'Dummett', 'Fauxley', 'Pretendergast', 'Madeupson', 'Sampleby', 'Fictionhurst'];
const NEEDS = [['SEMH'], ['SEMH', 'ASD'], ['MLD', 'SPLD'], ['MEDICAL'], ['SLCN', 'ASD'], ['SEMH', 'MLD'], ['HI', 'VI'], ['OTHER', 'SEMH']];
const STAGES = [['KS3'], ['KS3', 'KS4'], ['KS4'], ['KS2', 'KS3'], ['KS4', 'KS5'], ['KS1', 'KS2']];
const MODES = [['ON_SITE'], ['ON_SITE', 'ONLINE'], ['OUTREACH'], ['ON_SITE', 'OUTREACH'], ['ONLINE']];
const REGISTRATION = ['UNREGISTERED', 'UNREGISTERED', 'PUPIL_REFERRAL_UNIT', 'UNREGISTERED', 'AP_ACADEMY', 'UNREGISTERED', 'FE_COLLEGE', 'AP_FREE_SCHOOL'];
const VOCATIONAL = [undefined, ['Construction'], ['Animal care', 'Horticulture'], undefined, ['Motor vehicle'], ['Hair and beauty'], undefined, ['Catering']];

/** A deterministic jitter in [-1, 1) for index i, so locations differ without randomness. */
const jitter = (i: number, salt: number) => (((i * 7919 + salt * 104729) % 2000) / 1000) - 1;

/** A valid UPN (the real check-letter rule) from the LA, a demo establishment number and a serial. */
export function demoUpn(laCode: string, school: number, serial: number): string {
  const rest = `${laCode}${String(7000 + school).padStart(4, '0')}25${String(serial).padStart(3, '0')}`;
  return upnCheckLetter(rest) + rest;
}

function identifiers(registrationType: string, i: number): { urn?: string; ukprn?: string } {
  if (registrationType === 'FE_COLLEGE') return { ukprn: String(19990001 + i) };
  if (registrationType === 'UNREGISTERED') return {};
  return { urn: String(790001 + i) };
}

export function demoPlan(size: DemoSize): DemoPlan {
  const counts = SIZES[size];
  const la = (i: number) => LAS[i % 3 === 2 ? 1 : 0]; // two thirds in 865, a third in 866

  const schools: DemoSchool[] = Array.from({ length: counts.schools }, (_, i) => {
    const kind = SCHOOL_KIND[i % SCHOOL_KIND.length];
    return {
      urn: String(700001 + i),
      name: `${PLACE[(i * 3) % PLACE.length]} ${kind}${i >= PLACE.length ? ` ${Math.floor(i / PLACE.length) + 1}` : ''}`,
      phase: kind === 'Primary' || kind === 'Junior School' ? 'PRIMARY' : 'SECONDARY',
      laCode: la(i).code,
    };
  });

  const providers: DemoProvider[] = Array.from({ length: counts.providers }, (_, i) => {
    const home = la(i);
    // Every size has at least 8 providers: the suspended and non-compliant ones are among them.
    const outcome: ProviderOutcome = i === 3 ? 'NON_COMPLIANT' : i === 7 ? 'SUSPENDED' : i % 7 === 5 ? 'APPLIED' : 'APPROVED';
    const offers: DemoOffer[] = [0, 1].slice(0, i % 3 === 0 ? 2 : 1).map((k) => {
      // Every offer takes KS3 and KS4, where most of the demo's pupils are.
      const keyStages = [...new Set([...STAGES[(i + k) % STAGES.length], 'KS3', 'KS4'])].sort();
      return {
      name: `${keyStages.join('/')} ${NEEDS[(i + k) % NEEDS.length][0]} ${k === 0 ? 'day programme' : 'part-time'}`,
      keyStages,
      needs: NEEDS[(i + k) % NEEDS.length],
      deliveryModes: MODES[(i + k) % MODES.length],
      pricePerDay: 80 + ((i * 13 + k * 29) % 90),
      // Enough places for the standard demo's placements (the large one, for benchmarks, overfills some).
      capacity: 20 + ((i * 7 + k * 3) % 16),
      sessionsOffered: k === 0 ? 10 : 4,
      ...(VOCATIONAL[i % VOCATIONAL.length] ? { vocationalAreas: VOCATIONAL[i % VOCATIONAL.length] } : {}),
      };
    });
    const audit = outcome === 'NON_COMPLIANT' ? 'RED' : outcome !== 'APPROVED' ? undefined : (['GREEN', 'AMBER', 'SCHEDULED', undefined] as const)[i % 4];
    return {
      name: `${PLACE[i % PLACE.length]} ${PROVIDER_KIND[Math.floor(i / PLACE.length + i) % PROVIDER_KIND.length]}${i >= PLACE.length * PROVIDER_KIND.length ? ` ${i}` : ''}`,
      laCode: home.code,
      registrationType: REGISTRATION[i % REGISTRATION.length],
      ...identifiers(REGISTRATION[i % REGISTRATION.length], i),
      // ZY: a postcode area of the right form that exists nowhere.
      postcode: `ZY${1 + (i % 9)} ${1 + ((i * 4) % 9)}${'ABDEFGHJL'[i % 9]}${'NPQRSTUWX'[(i * 5) % 9]}`,
      location: { latitude: home.centre.latitude + jitter(i, 1) * 0.15, longitude: home.centre.longitude + jitter(i, 2) * 0.2 },
      outcome,
      offers,
      audit,
      visit: outcome !== 'APPLIED' && i % 3 !== 1,
    };
  });

  // Pupil `serial` of school `school`, filled a serial at a time across the schools; everything
  // about a pupil comes from those two numbers, so it is the same pupil at every size.
  const pupils: DemoPupil[] = [];
  for (let serial = 0; pupils.length < counts.pupils; serial++) {
    for (let k = 0; k < schools.length && pupils.length < counts.pupils; k++) {
      const school = schools[k];
      const n = k * 7 + serial * 13;
      // Years 7 to 11 (KS3 and KS4), born 2010-2014.
      const year = 2010 + (n % 5);
      pupils.push({
        upn: demoUpn(school.laCode, k, serial),
        givenName: GIVEN[n % GIVEN.length],
        familyName: FAMILY[(k + serial * 3) % FAMILY.length],
        dateOfBirth: `${year}-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`,
        schoolUrn: school.urn,
        laCode: school.laCode,
        senStatus: (['NONE', 'NONE', 'SEN_SUPPORT', 'NONE', 'EHCP'] as const)[n % 5],
        // In the small demo, exactly once round the cycle.
        story: STORY_CYCLE[(k + serial * 6) % STORY_CYCLE.length],
      });
    }
  }

  return { size, las: LAS, schools, providers, pupils };
}
