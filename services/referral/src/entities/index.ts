import { DirectoryOffer, DirectoryProvider, DirectorySchool } from '@ap/events';
import { Pupil } from './pupil';
import { PupilAccess } from './pupil-access';
import { Referral } from './referral';

export { DirectoryOffer, DirectoryProvider, DirectorySchool, Pupil, PupilAccess, Referral };
export const entities = [Pupil, Referral, PupilAccess, DirectoryProvider, DirectorySchool, DirectoryOffer];
