import { directoryProviderHandlers, directorySchoolHandlers } from '@ap/events';
import type { ConsumerDefinition } from '@ap/subgraph';
import {
  attainmentRecorded,
  attendanceDaySummarised,
  attendanceDaysSummarised,
  destinationRecorded,
  placementCancelled,
  placementEnded,
  placementReviewRecorded,
  placementStarted,
  pupilCohortChanged,
  referralDeclined,
  referralSeen,
  referralWithdrawn,
  suspensionRecorded,
} from '../read-model';

/**
 * The read model's sources: the pupil registry's and referrals' cohort facts, placements and their attendance, the records
 * entered here (outcomes' own topic, so a rebuild from the topics has them), and the directory's
 * providers and schools (their LAs, for access and the placement's LA when the pupil's is unknown).
 */
export const outcomesConsumer = (): ConsumerDefinition => ({
  from: ['referral', 'placement', 'outcomes', 'directory'],
  handlers: {
    'referral.submitted': referralSeen,
    'referral.accepted': referralSeen,
    'referral.declined': referralDeclined,
    'referral.withdrawn': referralWithdrawn,
    'pupil.cohort_changed': pupilCohortChanged,
    'placement.started': placementStarted,
    'placement.ended': placementEnded,
    'placement.cancelled': placementCancelled,
    'placement.review_recorded': placementReviewRecorded,
    'attendance.day_summarised': attendanceDaySummarised,
    'attendance.days_summarised': attendanceDaysSummarised,
    'outcome.attainment_recorded': attainmentRecorded,
    'outcome.destination_recorded': destinationRecorded,
    'outcome.suspension_recorded': suspensionRecorded,
    ...directoryProviderHandlers,
    ...directorySchoolHandlers,
  },
});
