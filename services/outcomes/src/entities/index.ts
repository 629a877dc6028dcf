import { DirectoryProvider } from '@ap/events';
import { ProviderOutcome } from './provider-outcome';

export { DirectoryProvider, ProviderOutcome };
export const entities = [ProviderOutcome, DirectoryProvider];
