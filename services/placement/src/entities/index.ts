import { Placement } from './placement';

export { Placement };
export const entities = [Placement];
