import { Audit } from './audit';

export { Audit };
export const entities = [Audit];
