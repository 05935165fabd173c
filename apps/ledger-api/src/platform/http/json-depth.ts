/**
 * Arrays and objects nested deeper than this are refused before they are parsed. The deepest body
 * the API takes (a settlement batch's items) nests three levels; a body nested thousands deep only
 * serves to overflow the stack of whatever walks it next (the idempotency fingerprint, class-transformer).
 */
export const MAX_JSON_DEPTH = 32;

/** Does this JSON text nest arrays and objects deeper than `limit`? A linear scan; brackets inside strings do not count. */
export function jsonNestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) index++; // a backslash escapes the next character, a quote included
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x7b || code === 0x5b) {
      if (++depth > limit) return true;
    } else if (code === 0x7d || code === 0x5d) {
      depth--;
    }
  }
  return false;
}
