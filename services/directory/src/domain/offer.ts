import { freePlacesOf, type KeyStage } from '@ap/domain';
import type { InputProblem } from '@ap/errors';

/** The SEN primary-need codes of the school census. */
export const NEEDS = ['SEMH', 'ASD', 'SLCN', 'MLD', 'SLD', 'SPLD', 'PD', 'HI', 'VI', 'MSI', 'MEDICAL', 'OTHER'] as const;
export type Need = (typeof NEEDS)[number];
export const DELIVERY_MODES = ['ON_SITE', 'OUTREACH', 'ONLINE'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

export interface OfferDetails {
  name: string;
  keyStages: KeyStage[];
  needs: Need[];
  subjects: string[];
  qualifications: string[];
  vocationalAreas: string[];
  deliveryModes: DeliveryMode[];
  sessionsOffered: number;
  pricePerDay: number;
  capacity: number;
}

export type OfferDetailsInput = Pick<OfferDetails, 'name' | 'keyStages' | 'needs' | 'deliveryModes' | 'sessionsOffered' | 'pricePerDay' | 'capacity'> &
  Partial<Record<'subjects' | 'qualifications' | 'vocationalAreas', string[] | null>>;

const tidy = (s: string) => s.trim().replace(/\s+/g, ' ');
const tidyList = (xs: readonly string[] | null | undefined) => [...new Set((xs ?? []).map(tidy).filter(Boolean))];

/** An offer's details: named, for at least one key stage, need and delivery mode, with a price and places that are not negative. */
export function checkOfferDetails(input: OfferDetailsInput): { ok: true; value: OfferDetails } | { ok: false; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const name = tidy(input.name);
  if (!name) problems.push({ field: 'name', message: 'An offer needs a name' });
  else if (name.length > 200) problems.push({ field: 'name', message: 'An offer name must be at most 200 characters' });
  if (!input.keyStages.length) problems.push({ field: 'keyStages', message: 'Name at least one key stage the offer is for' });
  if (!input.needs.length) problems.push({ field: 'needs', message: 'Name at least one need the offer meets' });
  if (!input.deliveryModes.length) problems.push({ field: 'deliveryModes', message: 'Name at least one delivery mode' });
  if (!Number.isInteger(input.sessionsOffered) || input.sessionsOffered < 1 || input.sessionsOffered > 10) {
    problems.push({ field: 'sessionsOffered', message: 'Sessions offered is the number of half-day sessions a week: 1 to 10' });
  }
  if (!Number.isFinite(input.pricePerDay) || input.pricePerDay < 0) problems.push({ field: 'pricePerDay', message: 'The price per day cannot be negative' });
  else if (input.pricePerDay > 100_000 || Math.abs(input.pricePerDay * 100 - Math.round(input.pricePerDay * 100)) > 1e-6) {
    problems.push({ field: 'pricePerDay', message: 'The price per day is in pounds and pence, at most 100000' });
  }
  if (!Number.isInteger(input.capacity) || input.capacity < 0) problems.push({ field: 'capacity', message: 'Capacity is a number of places, not negative' });
  else if (input.capacity > 10_000) problems.push({ field: 'capacity', message: 'Capacity must be at most 10000 places' });
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    value: {
      name,
      keyStages: [...new Set(input.keyStages)],
      needs: [...new Set(input.needs)],
      deliveryModes: [...new Set(input.deliveryModes)],
      subjects: tidyList(input.subjects),
      qualifications: tidyList(input.qualifications),
      vocationalAreas: tidyList(input.vocationalAreas),
      sessionsOffered: input.sessionsOffered,
      pricePerDay: Math.round(input.pricePerDay * 100) / 100,
      capacity: input.capacity,
    },
  };
}

/** Places not taken; never negative (a capacity lowered below the places in use shows 0). */
export const freePlaces = (offer: { capacity: number; placesInUse: number }): number => freePlacesOf(offer.capacity, offer.placesInUse);
