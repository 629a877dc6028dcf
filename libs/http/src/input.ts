import { GraphQLError, Lexer, Source, TokenKind } from 'graphql';

/**
 * Text in a request may hold tabs and line breaks but no other control character: PostgreSQL
 * refuses NUL in text ("invalid byte sequence"), and the others have no business in a name or a
 * summary. Lone UTF-16 surrogates (JSON "\ud800") are not characters at all. This is checked once,
 * for the whole request, where every process reads it (startHttpService), so no field needs its
 * own check.
 */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface ForbiddenText {
  /** Where: `input.name` for a variable, the argument or input field name for a literal, or `query`. */
  field: string;
  /** The character, as U+XXXX. */
  character: string;
}

function describe(text: string): string | undefined {
  const m = FORBIDDEN.exec(text);
  return m ? `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}

/** Whether any string or key in a JSON value holds a forbidden character: the scan of every request, building no path (a 10,000-mark push has 50,000 of them). */
function holdsForbidden(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (FORBIDDEN.test(v)) return true;
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push(v[i]);
    } else if (v !== null && typeof v === 'object') {
      for (const key of Object.keys(v)) {
        if (FORBIDDEN.test(key)) return true;
        stack.push((v as Record<string, unknown>)[key]);
      }
    }
  }
  return false;
}

/** The first string (or key) in a JSON value holding a forbidden character. Iterative: a deeply nested value cannot overflow the stack. */
export function findForbiddenInJson(value: unknown, root: string): ForbiddenText | undefined {
  if (!holdsForbidden(value)) return undefined;
  // Found: the walk again, naming where.
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      const character = describe(v);
      if (character) return { field: path, character };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`]);
    } else if (v !== null && typeof v === 'object') {
      for (const [key, child] of Object.entries(v)) {
        const at = path ? `${path}.${key}` : key;
        const character = describe(key);
        if (character) return { field: at, character };
        stack.push([child, at]);
      }
    }
  }
  return undefined;
}

/**
 * A forbidden character in the GraphQL document: raw anywhere, or made by an escape (`"\u0000"`)
 * inside a string literal, found by lexing (the lexer decodes escapes), with the argument or
 * input field the literal is given to. A document that does not lex is left for the GraphQL
 * server to report as a syntax error.
 */
export function findForbiddenInQuery(query: string): ForbiddenText | undefined {
  const raw = describe(query);
  if (raw) return { field: 'query', character: raw };
  if (!query.includes('\\u')) return undefined; // no escape, so no literal can hold one
  const lexer = new Lexer(new Source(query));
  let name = 'query';
  let previous: { kind: string; value?: string } | undefined;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (token.kind === TokenKind.COLON && previous?.kind === TokenKind.NAME) name = previous.value ?? name;
      if (token.kind === TokenKind.STRING || token.kind === TokenKind.BLOCK_STRING) {
        const character = describe(token.value);
        if (character) return { field: name, character };
      }
      previous = token;
    }
  } catch (err) {
    if (!(err instanceof GraphQLError)) throw err;
  }
  return undefined;
}

/** The GraphQL request's text fields (query, variables, operation name, extensions), checked in that order. */
export function findForbiddenInRequest(request: { query?: unknown; variables?: unknown; operationName?: unknown; extensions?: unknown }): ForbiddenText | undefined {
  return (
    (typeof request.query === 'string' ? findForbiddenInQuery(request.query) : undefined) ??
    findForbiddenInJson(request.variables, '') ??
    findForbiddenInJson(request.operationName, 'operationName') ??
    findForbiddenInJson(request.extensions, 'extensions')
  );
}

export function forbiddenTextMessage({ field, character }: ForbiddenText): string {
  return `${field} contains the control character ${character}; remove it. Text may hold tabs and line breaks, but no other control characters.`;
}
