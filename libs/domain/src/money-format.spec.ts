import { formatThousands } from './money-format';

describe('formatThousands', () => {
  it.each([
    [0, '0'],
    [7, '7'],
    [999, '999'],
    [1_000, '1,000'],
    [50_000_000, '50,000,000'],
    [12_400_000_000, '12,400,000,000'],
    [2_000_000_000_000_000, '2,000,000,000,000,000'],
    [-1_234_567, '-1,234,567'],
    [1_234.5, '1,235'],
    [-0.2, '0'],
  ])('formats %p as %p', (amount, text) => {
    expect(formatThousands(amount)).toBe(text);
  });

  it('leaves numbers it cannot group as they are', () => {
    expect(formatThousands(Number.NaN)).toBe('NaN');
    expect(formatThousands(Infinity)).toBe('Infinity');
    expect(formatThousands(1e21)).toBe('1e+21');
  });
});
