import { Offer, OfferPlace } from './offer';
import { Provider } from './provider';
import { ProviderStatusChange } from './provider-status-change';
import { LocalAuthority, School } from './school';

export { LocalAuthority, Offer, OfferPlace, Provider, ProviderStatusChange, School };
export const entities = [Provider, ProviderStatusChange, Offer, OfferPlace, School, LocalAuthority];
