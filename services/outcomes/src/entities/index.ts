import { DirectoryProvider, DirectorySchool } from '@ap/events';
import { ProviderOutcome } from './provider-outcome';

export { DirectoryProvider, DirectorySchool, ProviderOutcome };
export const entities = [ProviderOutcome, DirectoryProvider, DirectorySchool];
