import { randomUUID } from 'node:crypto';

export const providerId = () => randomUUID();
