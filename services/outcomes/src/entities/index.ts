import { ProviderOutcome } from './provider-outcome';

export { ProviderOutcome };
export const entities = [ProviderOutcome];
