import { upnCheckLetter } from '@ap/domain';

/** A valid permanent UPN for LA 865 with random establishment and serial, made with the real check-letter rule. */
export function makeUpn(): string {
  const digits = (n: number) => String(Math.floor(Math.random() * 10 ** n)).padStart(n, '0');
  const rest = `865${digits(4)}24${digits(3)}`;
  return upnCheckLetter(rest) + rest;
}
