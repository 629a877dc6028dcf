import { Pupil } from './pupil';
import { PupilAccess } from './pupil-access';
import { Referral } from './referral';

export { Pupil, PupilAccess, Referral };
export const entities = [Pupil, Referral, PupilAccess];
