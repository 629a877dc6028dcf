import { formatTraceparent, parseTraceparent, toTraceId, traceFromHeaders } from './context';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const S = '00f067aa0ba902b7';

describe('parseTraceparent', () => {
  it.each([
    [`00-${T}-${S}-01`, { traceId: T, spanId: S, sampled: true }],
    [`00-${T}-${S}-00`, { traceId: T, spanId: S, sampled: false }],
    [` 00-${T}-${S}-09 `, { traceId: T, spanId: S, sampled: true }],
    // A later version may add fields after the flags; version 00 may not.
    [`01-${T}-${S}-01-what-comes-later`, { traceId: T, spanId: S, sampled: true }],
    [`00-${T}-${S}-01-extra`, undefined],
    [`ff-${T}-${S}-01`, undefined],
    [`00-${'0'.repeat(32)}-${S}-01`, undefined],
    [`00-${T}-${'0'.repeat(16)}-01`, undefined],
    [`00-${T.toUpperCase()}-${S}-01`, undefined],
    [`00-${T}-${S}`, undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%j → %j', (header, expected) => {
    expect(parseTraceparent(header)).toEqual(expected);
  });

  it('formats what it parses', () => {
    expect(formatTraceparent({ traceId: T, spanId: S, sampled: true })).toBe(`00-${T}-${S}-01`);
    expect(parseTraceparent(formatTraceparent({ traceId: T, spanId: S, sampled: false }))).toEqual({ traceId: T, spanId: S, sampled: false });
  });
});

describe('toTraceId', () => {
  it.each([
    [T, T],
    [T.toUpperCase(), T],
    // Our trace ids before OpenTelemetry were UUIDs: the same 32 hex digits.
    ['0f8fad5b-d9cb-469f-a165-70867728950e', '0f8fad5bd9cb469fa16570867728950e'],
    ['0'.repeat(32), undefined],
    ['trace-42', undefined],
    [`${T}0`, undefined],
    [42, undefined],
  ])('%j → %j', (value, expected) => {
    expect(toTraceId(value)).toBe(expected);
  });
});

describe('traceFromHeaders', () => {
  it('takes traceparent first, then an x-trace-id that is a trace id, else nothing', () => {
    const other = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    expect(traceFromHeaders({ traceparent: `00-${T}-${S}-01`, 'x-trace-id': other })).toEqual({ traceId: T, spanId: S, sampled: true });
    expect(traceFromHeaders({ traceparent: 'garbage', 'x-trace-id': other })).toEqual({ traceId: other });
    expect(traceFromHeaders({ 'x-trace-id': 'trace id with spaces' })).toBeUndefined();
    expect(traceFromHeaders({})).toBeUndefined();
  });
});
