import type { InputProblem } from '@ap/errors';

export const RATINGS = ['GREEN', 'AMBER', 'RED'] as const;
export type Rating = (typeof RATINGS)[number];
export type Compliance = 'COMPLIANT' | 'ACTION_REQUIRED' | 'NON_COMPLIANT';

/**
 * What an overall RAG rating means for a provider: green is compliant; amber leaves actions to
 * complete (placements may continue); red is non-compliant, and no new placement may be made
 * without an LA override.
 */
export function complianceForRating(rating: Rating): Compliance {
  switch (rating) {
    case 'GREEN':
      return 'COMPLIANT';
    case 'AMBER':
      return 'ACTION_REQUIRED';
    case 'RED':
      return 'NON_COMPLIANT';
  }
}

export function checkAuditInput(input: { summary?: string | null }): { ok: true; summary: string | null } | { ok: false; problems: InputProblem[] } {
  const summary = input.summary?.trim() || null;
  if (summary && summary.length > 4000) return { ok: false, problems: [{ field: 'summary', message: 'Summary must be at most 4000 characters' }] };
  return { ok: true, summary };
}
