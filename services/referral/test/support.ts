import { randomUUID } from 'node:crypto';
import { upnCheckLetter } from '@ap/domain';

/** A valid permanent UPN for LA 865, made with the real check-letter rule. */
export function makeUpn(serial = Math.floor(Math.random() * 1000)): string {
  const rest = `865${String(Math.floor(Math.random() * 10000)).padStart(4, '0')}24${String(serial).padStart(3, '0')}`;
  return upnCheckLetter(rest) + rest;
}

export const providerId = () => randomUUID();
