/**
 * Percent-encoding of latin-1 environ strings, as Python's `urllib.parse.quote(text, safe,
 * encoding="latin1")` does it: each character is one byte, and every byte that is not a letter,
 * a digit, one of `_.-~` or in `safe` becomes `%XX` (upper-case hex).
 *
 * @module
 */

const ALWAYS_SAFE = /[A-Za-z0-9_.\-~]/;

/**
 * Quotes a latin-1 string such as `PATH_INFO` for use in a URL.
 *
 * @param text A string whose characters are bytes (U+0000–U+00FF)
 * @param safe The characters to leave as they are besides letters, digits and `_.-~`
 * @param what What `text` is, for the error message
 * @throws {TypeError} When a character is above U+00FF, so it was never a byte
 */
export function quoteLatin1(text: string, safe: string, what: string): string {
  let out = "";
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code > 0xff) {
      throw new TypeError(
        `${what} must hold latin-1 characters only, not ${JSON.stringify(char)} in ${
          JSON.stringify(text)
        }`,
      );
    }
    if (ALWAYS_SAFE.test(char) || safe.includes(char)) out += char;
    else out += "%" + code.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}
