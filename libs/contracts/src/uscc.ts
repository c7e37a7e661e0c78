/**
 * 统一社会信用代码 (unified social credit code, GB 32100-2015): 18 characters from a 31-character
 * set (no I, O, S, V, Z), the last a check character computed from the first 17 with a
 * weighted sum modulo 31. A pure value rule, shared by HTTP bodies and the ingest topic.
 */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const LENGTH = 18;

export type UsccCheck =
  | { ok: true }
  | { ok: false; problem: 'length' | 'character' | 'check-character'; message: string };

/** The check character the first 17 characters call for (they must be from the charset). */
export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < WEIGHTS.length; i++) sum += USCC_CHARSET.indexOf(first17[i]) * WEIGHTS[i];
  return USCC_CHARSET[(31 - (sum % 31)) % 31];
}

/** Says which rule a code breaks (length, an illegal character, or the check character). */
export function checkUscc(code: string): UsccCheck {
  if (code.length !== LENGTH) {
    return {
      ok: false,
      problem: 'length',
      message: `must be 18 characters, got ${code.length}`,
    };
  }
  const illegal = [...code].findIndex((c) => !USCC_CHARSET.includes(c));
  if (illegal >= 0) {
    return {
      ok: false,
      problem: 'character',
      message: `illegal character '${code[illegal]}' at position ${illegal + 1}: only digits and upper-case letters except I, O, S, V, Z`,
    };
  }
  const expected = usccCheckCharacter(code.slice(0, 17));
  if (code[17] !== expected) {
    return {
      ok: false,
      problem: 'check-character',
      message: `wrong check character '${code[17]}': for ${code.slice(0, 17)} it should be '${expected}'`,
    };
  }
  return { ok: true };
}

export const isValidUscc = (code: string): boolean => checkUscc(code).ok;
