import type { ValueTransformer } from 'typeorm';

/** PostgreSQL returns bigint as a string; every amount we store fits a JS safe integer (API.md caps). */
export const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null || value === undefined ? null : Number(value)),
};

/** PostgreSQL returns numeric as a string too; the figures stored as numeric are measurements, not money. */
export const numericNumber: ValueTransformer = bigintNumber;
