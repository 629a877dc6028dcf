import type { PlacementContext } from '../context';
import { nonSchoolFlags, partTimeFlag } from '../domain/rules';
import { Placement } from '../entities';

/** A part-time timetable (while planned or active), then the standards of non-school AP the placement breaks, once its provider's registration type is known. */
export async function nonSchoolFlagsOf(ctx: PlacementContext, p: Placement): Promise<string[]> {
  const open = p.status === 'PLANNED' || p.status === 'ACTIVE';
  const [due] = open && !p.fullTime ? await ctx.db.query(`SELECT to_char(min(due_date), 'YYYY-MM-DD') AS d FROM placement_review WHERE placement_id = $1 AND held_on IS NULL`, [p.id]) : [];
  const partTime = open ? partTimeFlag({ fullTime: p.fullTime, hoursPerWeek: p.hoursPerWeek, plannedEndDate: p.plannedEndDate, nextReviewDue: due?.d ?? null }) : null;
  const start = p.startDate ?? p.plannedStartDate;
  if (!start || p.sessionsPerWeek === null) return partTime ? [partTime] : [];
  const [row] = await ctx.db.query(`SELECT registration_type FROM provider_registration WHERE provider_id = $1`, [p.providerId]);
  const standards = nonSchoolFlags(row?.registration_type ?? null, {
    startDate: start,
    endDate: p.endDate ?? p.plannedEndDate ?? null,
    sessionsPerWeek: p.sessionsPerWeek,
    type: p.type,
  });
  return [...(partTime ? [partTime] : []), ...standards];
}

export const placementOfReview = (ctx: PlacementContext, placementId: string) => ctx.db.getRepository(Placement).findOneByOrFail({ id: placementId });
