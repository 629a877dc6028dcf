import type { PlacementContext } from '../context';
import { nonSchoolFlags } from '../domain/rules';
import { Placement } from '../entities';

/** The standards of non-school AP a placement breaks, once its provider's registration type is known. */
export async function nonSchoolFlagsOf(ctx: PlacementContext, p: Placement): Promise<string[]> {
  const start = p.startDate ?? p.plannedStartDate;
  if (!start || p.sessionsPerWeek === null) return [];
  const [row] = await ctx.db.query(`SELECT registration_type FROM provider_registration WHERE provider_id = $1`, [p.providerId]);
  return nonSchoolFlags(row?.registration_type ?? null, {
    startDate: start,
    endDate: p.endDate ?? p.plannedEndDate ?? null,
    sessionsPerWeek: p.sessionsPerWeek,
    type: p.type,
  });
}

export const placementOfReview = (ctx: PlacementContext, placementId: string) => ctx.db.getRepository(Placement).findOneByOrFail({ id: placementId });
