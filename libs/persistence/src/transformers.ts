import { ValueTransformer } from 'typeorm';

/**
 * pg returns `numeric` and `bigint` as strings so no precision is lost; for bounded quantities
 * (percent, area in mu, points with two decimals, whole metres) a number is exact enough and
 * what the API speaks.
 * Money stays a string (MoneyWan) and never goes through this.
 */
export const numericAsNumber: ValueTransformer = {
  to: (v: number | null) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};
