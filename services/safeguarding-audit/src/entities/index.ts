import { DirectoryProvider } from '@ap/events';
import { Audit } from './audit';

export { Audit, DirectoryProvider };
export const entities = [Audit, DirectoryProvider];
