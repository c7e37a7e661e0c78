import { RuleViolation } from './rule-violation';

/**
 * Money in 万元 as decimal strings with two places ("1234.50"), computed in integer fen
 * (hundredths) with BigInt so no float ever rounds a county's investment figures.
 */
const MONEY = /^(-?)(\d{1,13})\.(\d{2})$/;

export function toCents(wan: string): bigint {
  const m = MONEY.exec(wan);
  if (!m)
    throw new RuleViolation(`not a money amount in 万元 with two decimals: ${wan}`, 'invalid');
  const cents = BigInt(m[2]) * 100n + BigInt(m[3]);
  return m[1] === '-' ? -cents : cents;
}

export function fromCents(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

export const addWan = (a: string, b: string): string => fromCents(toCents(a) + toCents(b));
export const subtractWan = (a: string, b: string): string => fromCents(toCents(a) - toCents(b));

export function compareWan(a: string, b: string): -1 | 0 | 1 {
  const d = toCents(a) - toCents(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

export const sumWan = (amounts: readonly string[]): string =>
  fromCents(amounts.reduce((total, a) => total + toCents(a), 0n));
