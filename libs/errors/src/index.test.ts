import { GraphQLError } from 'graphql';
import { badUserInput, INTERNAL_MESSAGE, invalidInput, maskError, notFound } from './index';

describe('maskError', () => {
  it('keeps a public error and its code but drops the stack trace', () => {
    const e = badUserInput('UPN must be 13 characters', 'upn');
    const out = maskError({ message: e.message, extensions: { ...e.extensions, stacktrace: ['at x'] } }, e);
    expect(out).toEqual({ message: 'UPN must be 13 characters', extensions: { code: 'BAD_USER_INPUT', field: 'upn' } });
  });
  it('hides anything else, such as a database error', () => {
    const e = new GraphQLError('duplicate key value violates unique constraint "pupil_upn_key"');
    const out = maskError({ message: e.message, extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['SELECT'] } }, e);
    expect(out).toEqual({ message: INTERNAL_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });
  it("keeps the gateway's SUBGRAPH_UNAVAILABLE with the service it names", () => {
    const e = new GraphQLError('The directory service is unavailable; its fields are null. Try again shortly.', { extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: 'directory' } });
    expect(maskError({ message: e.message, extensions: { ...e.extensions } }, e)).toEqual({ message: e.message, extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: 'directory' } });
  });
  it('recognises a public error wrapped as originalError', () => {
    const inner = notFound('Referral', 'r-1');
    const wrapped = new GraphQLError('wrapped', { originalError: inner });
    expect((maskError({ message: inner.message, extensions: {} }, wrapped).extensions as { code?: string }).code).toBe('NOT_FOUND');
  });
});

describe('invalidInput', () => {
  it('lists every problem and names the first field', () => {
    const e = invalidInput([
      { field: 'upn', message: 'UPN check letter is wrong' },
      { field: 'givenName', message: 'Given name is required' },
    ]);
    expect(e.message).toBe('UPN check letter is wrong; Given name is required');
    expect(e.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'upn' });
    expect((e.extensions.problems as unknown[]).length).toBe(2);
  });
});
