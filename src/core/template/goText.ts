/**
 * Go string helpers the template engine needs to reproduce Go's exact texts:
 * strconv.Quote / Unquote, fmt's %#U, unicode.IsPrint / IsSpace, and byte (UTF-8) positions.
 *
 * A Go string is bytes, not always UTF-8 (`slice "é" 0 1`, `decodeb64`). The engine keeps Go strings as JS
 * strings and writes each byte that is not part of valid UTF-8 as the lone low surrogate U+DC80–U+DCFF
 * (Python's "surrogateescape"), so lengths, slices, %q and %x see Go's bytes.
 */
import { isUtf8 } from 'node:buffer';

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

/** strings.TrimSpace. Every space is one UTF-16 unit and no surrogate is a space, so units can be scanned as code points. */
export function goTrimSpace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isGoSpace(s.charCodeAt(start))) start++;
  while (end > start && isGoSpace(s.charCodeAt(end - 1))) end--;
  return s.slice(start, end);
}

/** A raw byte 0x80–0xFF kept as a lone surrogate (not the low half of a surrogate pair). */
const RAW_BYTE = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/;
const RAW_BYTES = new RegExp(RAW_BYTE.source, 'g');

/** The bytes of a Go string held as a JS string (see the header). */
export function goBytes(s: string): Buffer {
  if (!RAW_BYTE.test(s)) return Buffer.from(s, 'utf8');
  const parts: Buffer[] = [];
  let last = 0;
  for (const m of s.matchAll(RAW_BYTES)) {
    parts.push(Buffer.from(s.slice(last, m.index), 'utf8'), Buffer.of(m[0].charCodeAt(0) - 0xdc00));
    last = m.index + 1;
  }
  parts.push(Buffer.from(s.slice(last), 'utf8'));
  return Buffer.concat(parts);
}

/** Length in bytes of a Go string code point: a raw byte counts one. */
function codePointBytes(cp: number): number {
  if (cp < 0x80 || (cp >= 0xdc80 && cp <= 0xdcff)) return 1;
  if (cp < 0x800) return 2;
  return cp < 0x10000 ? 3 : 4;
}

/** len(s) of a Go string. */
export function utf8Length(s: string): number {
  if (!RAW_BYTE.test(s)) return Buffer.byteLength(s, 'utf8');
  let n = 0;
  for (const ch of s) n += codePointBytes(ch.codePointAt(0)!);
  return n;
}

/** Go's utf8.DecodeRune per position: valid UTF-8 decodes, every other byte stays a raw byte. */
export function goStringFromBytes(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isUtf8(buffer)) return buffer.toString('utf8');
  let out = '';
  let i = 0;
  while (i < buffer.length) {
    const width = validSequenceLength(buffer, i);
    out += width > 0 ? buffer.toString('utf8', i, i + width) : String.fromCharCode(0xdc00 + buffer[i]);
    i += Math.max(width, 1);
  }
  return out;
}

/** The length of the valid UTF-8 sequence at b[i], or 0 when the byte there starts none. */
function validSequenceLength(b: Buffer, i: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k] >= lo && b[i + k] <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const [lo, hi] = c === 0xe0 ? [0xa0, 0xbf] : c === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const [lo, hi] = c === 0xf0 ? [0x90, 0xbf] : c === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/** The same Go string with raw bytes that now form valid UTF-8 (e.g. two halves of "é" joined) read as text. */
export function rejoinRawBytes(s: string): string {
  return RAW_BYTE.test(s) ? goStringFromBytes(goBytes(s)) : s;
}

/** What a reader of Go's bytes sees: raw bytes decoded as UTF-8 text (invalid ones as U+FFFD). */
export function goBytesAsText(s: string): string {
  return RAW_BYTE.test(s) ? goBytes(s).toString('utf8') : s;
}

/** Go sees each raw byte as utf8.RuneError when it decodes runes (regexp, range over a string). */
export function goRunesAsText(s: string): string {
  return s.replace(RAW_BYTES, '\uFFFD');
}

/** A JSON string decoded by Go: a lone surrogate becomes U+FFFD, so no input holds a raw byte. */
export function fromGoJson(s: string): string {
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

const hex4 = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');

/** fmt's %#U: `U+0023 '#'`. */
export function formatRuneU(cp: number): string {
  const code = `U+${hex4(cp, 4)}`;
  return isGoPrint(cp) ? `${code} '${String.fromCodePoint(cp)}'` : code;
}

function escapeRune(cp: number, quote: number, out: string[], asciiOnly: boolean): void {
  if (cp === quote || cp === 0x5c) {
    out.push('\\', String.fromCodePoint(cp));
    return;
  }
  if (asciiOnly ? cp < 0x80 && isGoPrint(cp) : isGoPrint(cp)) {
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
  else if (cp >= 0xdc80 && cp <= 0xdcff) out.push('\\x' + (cp - 0xdc00).toString(16));
  else if (cp >= 0xd800 && cp <= 0xdfff) out.push('\\ufffd');
  else if (cp < 0x10000) out.push('\\u' + cp.toString(16).padStart(4, '0'));
  else out.push('\\U' + cp.toString(16).padStart(8, '0'));
}

/** strconv.Quote, or strconv.QuoteToASCII (fmt's %q and %+q for strings). */
export function goQuote(s: string, asciiOnly = false): string {
  const out: string[] = ['"'];
  for (const ch of s) escapeRune(ch.codePointAt(0)!, 0x22, out, asciiOnly);
  out.push('"');
  return out.join('');
}

/** strconv.QuoteRune, or QuoteRuneToASCII (fmt's %q and %+q for integers); invalid code points quote as U+FFFD. */
export function goQuoteRune(cp: bigint, asciiOnly = false): string {
  const valid = cp >= 0n && cp <= 0x10ffffn && !(cp >= 0xd800n && cp <= 0xdfffn);
  const out: string[] = ["'"];
  escapeRune(valid ? Number(cp) : 0xfffd, 0x27, out, asciiOnly);
  out.push("'");
  return out.join('');
}

/** strconv.CanBackquote: no control character but tab, no backquote, no BOM, only valid UTF-8. */
export function canBackquote(s: string): boolean {
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if ((cp < 0x20 && cp !== 0x09) || cp === 0x60 || cp === 0x7f || cp === 0xfeff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
  }
  return true;
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
  // Most literals have no escape, quote or surrogate (raw bytes are kept as surrogates): they are their own value.
  if (!/["\\\uD800-\uDFFF]/.test(body)) return body;
  const bytes: number[] = [];
  let i = 0;
  while (i < body.length) {
    const { value, isByte, next } = unquoteChar(body, i, '"');
    if (isByte) bytes.push(value);
    else pushUtf8(bytes, value);
    i = next;
  }
  return goStringFromBytes(Uint8Array.from(bytes));
}

/** Orders strings by their UTF-8 bytes, as Go compares strings. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(goBytes(a), goBytes(b));
}
