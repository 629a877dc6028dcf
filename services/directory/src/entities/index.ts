import { Provider } from './provider';

export { Provider };
export const entities = [Provider];
