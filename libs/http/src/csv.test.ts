import { csvField, csvLine } from './csv';

describe('RFC 4180 CSV', () => {
  it.each<[Parameters<typeof csvField>[0], string]>([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r', '"cr\r"'],
    [null, ''],
    [undefined, ''],
    [12.5, '12.5'],
    [-3, '-3'],
    [true, 'true'],
    ['Ünïcødé – ok', 'Ünïcødé – ok'],
    ['=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ['-1+2', "'-1+2"],
  ])('%j → %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('ends each line with CRLF', () => {
    expect(csvLine(['a', 'b,c', null])).toBe('a,"b,c",\r\n');
  });
});
