import { readFileSync } from 'node:fs';
import { CHILE_HOLIDAYS_2026_2027 } from '../../domain';
import { HOLIDAY_LIBRARY, libraryHolidays, libraryKnows } from './holiday-library';

const chile = { country: 'CL' };
const listed = (year: number): string[] => libraryHolidays(chile, year).map((h) => h.date);

describe('the holiday library', () => {
  it('is the version the standing corrections were checked against (re-check them on upgrade)', () => {
    const installed = JSON.parse(readFileSync(require.resolve('date-holidays/package.json'), 'utf8')) as { version: string };
    expect(installed.version).toBe(HOLIDAY_LIBRARY.version);
    const pinned = JSON.parse(readFileSync(`${__dirname}/../../../package.json`, 'utf8')) as { dependencies: Record<string, string> };
    expect(pinned.dependencies['date-holidays']).toBe(HOLIDAY_LIBRARY.version);
  });

  // Every difference between what date-holidays 3.37.0 lists for Chile and the list hand-checked
  // for policy 2026.1: Holy Saturday missing, Easter Sunday listed, and Friday 17 September 2027
  // listed where the hand-made list forgot it (Ley 20.983: the 18th and 19th fall on a weekend).
  it('differs from the hand-checked 2026-2027 list by exactly the known days', () => {
    const library = [...listed(2026), ...listed(2027)];
    const hand = [...CHILE_HOLIDAYS_2026_2027];
    expect(hand.filter((d) => !library.includes(d))).toEqual(['2026-04-04', '2027-03-27']);
    expect(library.filter((d) => !hand.includes(d))).toEqual(['2026-04-05', '2027-03-28', '2027-09-17']);
    const names = libraryHolidays(chile, 2027).filter((h) => ['2027-03-28', '2027-09-17'].includes(h.date));
    expect(names.map((h) => [h.name, h.rule])).toEqual([
      ['Pascua', 'easter'],
      ['Feriado Adicional Fiestas Patrias', '09-17 on friday, monday since 2017'],
    ]);
  });

  it('gives public holidays only (not the bank holiday of 31 December)', () => {
    expect(listed(2026)).not.toContain('2026-12-31');
    expect(listed(2026)).toHaveLength(16);
  });

  it('knows Chile and its regions with holidays of their own, and says so for others', () => {
    expect(libraryKnows(chile)).toBe(true);
    expect(libraryKnows({ country: 'CL', region: 'AP' })).toBe(true);
    expect(libraryKnows({ country: 'CL', region: 'ZZ' })).toBe(false);
    expect(libraryKnows({ country: 'XX' })).toBe(false);
    expect(libraryHolidays({ country: 'CL', region: 'AP' }, 2026).map((h) => h.date)).toContain('2026-06-07');
  });
});
