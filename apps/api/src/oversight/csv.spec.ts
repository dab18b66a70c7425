import { csvChunks, csvField, csvRecord } from './csv';
import { isCalendarDate } from './oversight.dto';
import { localDate } from './oversight.service';

describe('CSV (RFC 4180)', () => {
  it('leaves plain fields alone and quotes those with a comma, a quote, CR or LF', () => {
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField(12.5)).toBe('12.5');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
  });

  it('neutralises text a spreadsheet would run as a formula, and leaves numbers alone', () => {
    expect(csvField('=HYPERLINK("https://evil.example","x")')).toBe(`"'=HYPERLINK(""https://evil.example"",""x"")"`);
    expect(csvField('+1+1')).toBe("'+1+1");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField('\r=1')).toBe(`"'\r=1"`);
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField("'quoted")).toBe("'quoted");
    expect(csvField(-5)).toBe('-5');
    expect(csvField(-0.5)).toBe('-0.5');
  });

  it('ends every record with CRLF', () => {
    expect(csvRecord(['a', 1, null, 'x,y'])).toBe('a,1,,"x,y"\r\n');
  });

  it('sends the header with the first page, and the header alone when there are no rows', async () => {
    async function* pages(...list: number[][]) {
      for (const page of list) yield page;
    }
    const collect = async (source: AsyncIterable<string>) => {
      const out: string[] = [];
      for await (const chunk of source) out.push(chunk);
      return out;
    };
    expect(await collect(csvChunks(['n'], pages([1, 2], [3]), (n) => [[n]]))).toEqual(['n\r\n1\r\n2\r\n', '3\r\n']);
    expect(await collect(csvChunks(['n'], pages(), (n: number) => [[n]]))).toEqual(['n\r\n']);
    expect(await collect(csvChunks(['n'], pages([1]), () => []))).toEqual(['n\r\n']);
  });
});

describe('localDate', () => {
  it('gives the calendar day of the zone, not of UTC', () => {
    expect(localDate(new Date('2032-01-01T02:00:00Z'), 'America/Santiago')).toBe('2031-12-31');
    expect(localDate(new Date('2032-01-01T02:00:00Z'), 'UTC')).toBe('2032-01-01');
  });
});

describe('isCalendarDate', () => {
  it('takes real days written yyyy-mm-dd, early years included', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('0050-06-01')).toBe(true);
    expect(isCalendarDate('2027-02-29')).toBe(false);
    expect(isCalendarDate('0000-01-01')).toBe(false);
    expect(isCalendarDate('2026-1-01')).toBe(false);
    expect(isCalendarDate('2026-01-01T00:00:00Z')).toBe(false);
    expect(isCalendarDate(20260101)).toBe(false);
  });
});
