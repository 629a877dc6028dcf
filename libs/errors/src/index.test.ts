import { buildSchema, graphql, GraphQLError } from 'graphql';
import { badUserInput, INTERNAL_MESSAGE, invalidInput, maskError, notFound, variableFieldOf } from './index';

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

describe('a variable GraphQL refused names its field', () => {
  // The messages come from graphql-js itself, so a change of its wording fails here.
  const schema = buildSchema(`
    enum KeyStage { KS1 KS2 }
    input Contact { name: String! role: String! }
    input OfferInput { name: String! keyStage: KeyStage contacts: [Contact!] keyStages: [KeyStage!] }
    type Query { offer(input: OfferInput, id: ID!, first: Int): String }`);
  const QUERY = 'query($input: OfferInput, $id: ID!, $first: Int) { offer(input: $input, id: $id, first: $first) }';
  const refusal = async (variables: Record<string, unknown>) => {
    const res = await graphql({ schema, source: QUERY, variableValues: variables });
    expect(res.errors).toHaveLength(1);
    return res.errors![0];
  };

  it.each([
    ['an unknown enum value', { input: { name: 'x', keyStage: 'KS9' }, id: '1' }, 'input.keyStage'],
    ['an unknown enum value in a list', { input: { name: 'x', keyStages: ['KS1', 'KS7'] }, id: '1' }, 'input.keyStages[1]'],
    ['a missing required input field', { input: { keyStage: 'KS1' }, id: '1' }, 'input.name'],
    ['a missing field of a listed input', { input: { name: 'x', contacts: [{ name: 'Jo' }] }, id: '1' }, 'input.contacts[0].role'],
    ['a field the input does not define', { input: { name: 'x', bogus: 1 }, id: '1' }, 'input.bogus'],
    ['a required variable not given', { input: { name: 'x' } }, 'id'],
    ['a required variable given null', { id: null }, 'id'],
    ['a value of the wrong type', { id: '1', first: 'ten' }, 'first'],
  ])('%s (variables %j) → field %s', async (_, variables, field) => {
    const e = await refusal(variables);
    expect(variableFieldOf(e.message)).toBe(field);
    // As Apollo Server hands it to formatError: code BAD_USER_INPUT, no field.
    const out = maskError({ message: e.message, extensions: { code: 'BAD_USER_INPUT' } }, e);
    expect(out).toEqual({ message: e.message, extensions: { code: 'BAD_USER_INPUT', field, problems: [{ field, message: e.message }] } });
  });

  it('keeps a field the error already names, and adds none to other errors', () => {
    const own = badUserInput('Variable "$input" got invalid value 1 at "input.x"; no', 'input.y');
    expect(maskError({ message: own.message, extensions: { ...own.extensions } }, own).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.y' });
    const conflict = new GraphQLError('Variable "$id" of required type "ID!" was not provided.', { extensions: { code: 'CONFLICT' } });
    expect(maskError({ message: conflict.message, extensions: { code: 'CONFLICT' } }, conflict).extensions).toEqual({ code: 'CONFLICT' });
    expect(variableFieldOf('Cannot query field "x" on type "Query".')).toBeUndefined();
  });
});
