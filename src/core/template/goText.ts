/**
 * Go string helpers the template engine needs to reproduce Go's exact texts:
 * strconv.Quote / Unquote, fmt's %#U, unicode.IsPrint / IsSpace, and byte (UTF-8) positions.
 */

/** Go's strconv.ErrSyntax text. */
export const INVALID_SYNTAX = 'invalid syntax';

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isGoPrint(cp: number): boolean {
  if (cp === 0x20) return true;
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  return PRINTABLE.test(String.fromCodePoint(cp));
}

/** unicode.IsSpace. */
export function isGoSpace(cp: number): boolean {
  switch (cp) {
    case 0x09: case 0x0a: case 0x0b: case 0x0c: case 0x0d: case 0x20: case 0x85: case 0xa0:
    case 0x1680: case 0x2028: case 0x2029: case 0x202f: case 0x205f: case 0x3000:
      return true;
  }
  return cp >= 0x2000 && cp <= 0x200a;
}

/** strings.TrimSpace. */
export function goTrimSpace(s: string): string {
  const cps = Array.from(s);
  let start = 0;
  let end = cps.length;
  while (start < end && isGoSpace(cps[start].codePointAt(0)!)) start++;
  while (end > start && isGoSpace(cps[end - 1].codePointAt(0)!)) end--;
  return cps.slice(start, end).join('');
}

export function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

const hex4 = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');

/** fmt's %#U: `U+0023 '#'`. */
export function formatRuneU(cp: number): string {
  const code = `U+${hex4(cp, 4)}`;
  return isGoPrint(cp) ? `${code} '${String.fromCodePoint(cp)}'` : code;
}

function escapeRune(cp: number, quote: number, out: string[]): void {
  if (cp === quote || cp === 0x5c) {
    out.push('\\', String.fromCodePoint(cp));
    return;
  }
  if (isGoPrint(cp)) {
    out.push(String.fromCodePoint(cp));
    return;
  }
  switch (cp) {
    case 0x07: out.push('\\a'); return;
    case 0x08: out.push('\\b'); return;
    case 0x0c: out.push('\\f'); return;
    case 0x0a: out.push('\\n'); return;
    case 0x0d: out.push('\\r'); return;
    case 0x09: out.push('\\t'); return;
    case 0x0b: out.push('\\v'); return;
  }
  if (cp < 0x20 || cp === 0x7f) out.push('\\x' + cp.toString(16).padStart(2, '0'));
  else if (cp >= 0xd800 && cp <= 0xdfff) out.push('\\ufffd');
  else if (cp < 0x10000) out.push('\\u' + cp.toString(16).padStart(4, '0'));
  else out.push('\\U' + cp.toString(16).padStart(8, '0'));
}

/** strconv.Quote (and fmt's %q for strings). */
export function goQuote(s: string): string {
  const out: string[] = ['"'];
  for (const ch of s) escapeRune(ch.codePointAt(0)!, 0x22, out);
  out.push('"');
  return out.join('');
}

/** strconv.QuoteRune (fmt's %q for integers). */
export function goQuoteRune(cp: number): string {
  const out: string[] = ["'"];
  escapeRune(cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? 0xfffd : cp, 0x27, out);
  out.push("'");
  return out.join('');
}

function pushUtf8(bytes: number[], cp: number): void {
  for (const b of Buffer.from(String.fromCodePoint(cp), 'utf8')) bytes.push(b);
}

const isOctal = (c: string | undefined) => c !== undefined && c >= '0' && c <= '7';
const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/**
 * strconv.UnquoteChar: decodes one (possibly escaped) character at s[i].
 * Returns the code point or byte value, whether it is a raw byte, and the next index. Throws INVALID_SYNTAX.
 */
export function unquoteChar(s: string, i: number, quote: string): { value: number; isByte: boolean; next: number } {
  const c = s[i];
  if (c === undefined) throw new Error(INVALID_SYNTAX);
  if (c === quote && (quote === "'" || quote === '"')) throw new Error(INVALID_SYNTAX);
  if (c !== '\\') {
    const cp = s.codePointAt(i)!;
    return { value: cp, isByte: false, next: i + (cp > 0xffff ? 2 : 1) };
  }
  const e = s[i + 1];
  switch (e) {
    case 'a': return { value: 7, isByte: false, next: i + 2 };
    case 'b': return { value: 8, isByte: false, next: i + 2 };
    case 'f': return { value: 12, isByte: false, next: i + 2 };
    case 'n': return { value: 10, isByte: false, next: i + 2 };
    case 'r': return { value: 13, isByte: false, next: i + 2 };
    case 't': return { value: 9, isByte: false, next: i + 2 };
    case 'v': return { value: 11, isByte: false, next: i + 2 };
    case 'x': case 'u': case 'U': {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const digits = s.slice(i + 2, i + 2 + n);
      if (digits.length < n || !Array.from(digits).every(isHex)) throw new Error(INVALID_SYNTAX);
      const v = parseInt(digits, 16);
      if (e === 'x') return { value: v, isByte: true, next: i + 2 + n };
      if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new Error(INVALID_SYNTAX);
      return { value: v, isByte: false, next: i + 2 + n };
    }
    case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
      const digits = s.slice(i + 1, i + 4);
      if (digits.length < 3 || !Array.from(digits).every(isOctal)) throw new Error(INVALID_SYNTAX);
      const v = parseInt(digits, 8);
      if (v > 255) throw new Error(INVALID_SYNTAX);
      return { value: v, isByte: true, next: i + 4 };
    }
    case '\\': return { value: 0x5c, isByte: false, next: i + 2 };
    case "'": case '"':
      if (e !== quote) throw new Error(INVALID_SYNTAX);
      return { value: e.charCodeAt(0), isByte: false, next: i + 2 };
  }
  throw new Error(INVALID_SYNTAX);
}

/** strconv.Unquote for "…" and `…` literals. Invalid UTF-8 produced by \x escapes is decoded lossily. */
export function goUnquote(literal: string): string {
  if (literal.length < 2) throw new Error(INVALID_SYNTAX);
  const quote = literal[0];
  if (quote !== literal[literal.length - 1]) throw new Error(INVALID_SYNTAX);
  const body = literal.slice(1, -1);
  if (quote === '`') {
    if (body.includes('`')) throw new Error(INVALID_SYNTAX);
    return body.replace(/\r/g, '');
  }
  if (quote !== '"') throw new Error(INVALID_SYNTAX);
  if (body.includes('\n')) throw new Error(INVALID_SYNTAX);
  const bytes: number[] = [];
  let i = 0;
  while (i < body.length) {
    const { value, isByte, next } = unquoteChar(body, i, '"');
    if (isByte) bytes.push(value);
    else pushUtf8(bytes, value);
    i = next;
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Orders strings by their UTF-8 bytes, as Go compares strings. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
