/**
 * Go's regexp.Match (RE2 syntax, unanchored) on top of JavaScript RegExp: the pattern is translated to an
 * equivalent JS pattern (always with the `u` flag), and the common RE2 syntax errors are reported with
 * Go's text. Flags (?i)(?m)(?s)(?U) are emulated in the translation, so they also work mid-pattern.
 */

class RegexpSyntaxError extends Error {
  constructor(code: string, expr: string) {
    super(`regexp error: error parsing regexp: ${code}: \`${expr}\``);
  }
}

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

const GENERAL_CATEGORIES = new Set([
  'C', 'Cc', 'Cf', 'Co', 'Cs', 'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc', 'Me', 'Mn', 'N', 'Nd', 'Nl', 'No',
  'P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'S', 'Sc', 'Sk', 'Sm', 'So', 'Z', 'Zl', 'Zp', 'Zs',
]);

type Range = [number, number];

const DIGIT: Range[] = [[0x30, 0x39]];
const WORD: Range[] = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]];
const SPACE: Range[] = [[0x09, 0x0a], [0x0c, 0x0d], [0x20, 0x20]];

const POSIX_CLASSES: Record<string, Range[]> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  ascii: [[0x00, 0x7f]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
  digit: DIGIT,
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  word: WORD,
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};

function negate(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= 0x10ffff) out.push([next, 0x10ffff]);
  return out;
}

const u = (cp: number) => `\\u{${cp.toString(16)}}`;
const rangesToClassBody = (ranges: Range[]) => ranges.map(([lo, hi]) => (lo === hi ? u(lo) : `${u(lo)}-${u(hi)}`)).join('');

/** Simple case variants of a code point (approximates Go's unicode.SimpleFold orbit). */
function caseVariants(cp: number): number[] {
  const ch = String.fromCodePoint(cp);
  const out = new Set<number>();
  for (const v of [ch.toLowerCase(), ch.toUpperCase()]) {
    if (Array.from(v).length === 1) out.add(v.codePointAt(0)!);
  }
  if (cp === 0x6b || cp === 0x4b) out.add(0x212a); // k K and the Kelvin sign fold together in Go
  if (cp === 0x73 || cp === 0x53) out.add(0x17f); // s S ſ
  out.delete(cp);
  return [...out];
}

function foldRanges(ranges: Range[]): Range[] {
  const out: Range[] = [...ranges];
  for (const [lo, hi] of ranges) {
    if (hi - lo > 4000) continue; // huge ranges (e.g. negations) already hold most case variants
    for (let cp = lo; cp <= hi; cp++) for (const v of caseVariants(cp)) out.push([v, v]);
  }
  return out;
}

function unicodeClass(name: string, negated: boolean, text: string): string {
  let body: string;
  if (name === 'Any') return negated ? '[^\\u{0}-\\u{10ffff}]' : '[\\u{0}-\\u{10ffff}]';
  if (GENERAL_CATEGORIES.has(name)) body = `{${name}}`;
  else body = `{Script=${name}}`;
  const escape = `\\${negated ? 'P' : 'p'}${body}`;
  try {
    new RegExp(escape, 'u');
  } catch {
    throw new RegexpSyntaxError('invalid character class range', text);
  }
  return escape;
}

class Translator {
  private i = 0;
  private readonly cps: string[];
  private flags: Flags = { i: false, m: false, s: false, U: false };
  private readonly groups: { flags: Flags }[] = [];
  private readonly names = new Set<string>();
  private out = '';
  /** Whether the last emitted item can take a repetition operator. */
  private repeatable = false;
  /** Index in cps where the immediately preceding repetition operator started, or -1. */
  private lastRepeatStart = -1;

  constructor(private readonly pattern: string) {
    this.cps = Array.from(pattern);
  }

  translate(): string {
    while (this.i < this.cps.length) {
      const repeatStart = this.i;
      const c = this.cps[this.i];
      if (c === '*' || c === '+' || c === '?' || (c === '{' && this.repeatSpec() !== null)) {
        this.repetition(repeatStart);
        continue;
      }
      this.lastRepeatStart = -1;
      this.i++;
      switch (c) {
        case '(': this.openGroup(); break;
        case ')': this.closeGroup(); break;
        case '|': this.out += '|'; this.repeatable = false; break;
        case '^': this.atom(this.flags.m ? '(?:^|(?<=\\n))' : '(?:^)'); break;
        case '$': this.atom(this.flags.m ? '(?:$|(?=\\n))' : '(?:$)'); break;
        case '.': this.atom(this.flags.s ? '[\\u{0}-\\u{10ffff}]' : '[^\\n]'); break;
        case '[': this.charClass(); break;
        case '\\': this.escape(); break;
        default: this.literal(c.codePointAt(0)!);
      }
    }
    if (this.groups.length > 0) throw new RegexpSyntaxError('missing closing )', this.pattern);
    return this.out;
  }

  private atom(js: string): void {
    this.out += js;
    this.repeatable = true;
  }

  private literal(cp: number): void {
    const variants = this.flags.i ? caseVariants(cp) : [];
    if (variants.length === 0) this.atom(/[\p{L}\p{N}]/u.test(String.fromCodePoint(cp)) ? String.fromCodePoint(cp) : u(cp));
    else this.atom(`[${[cp, ...variants].map(u).join('')}]`);
  }

  /** Parses `{n}`, `{n,}` or `{n,m}` at the cursor without consuming it; null if it is a literal `{`. */
  private repeatSpec(): { min: number; max: number; length: number } | null {
    const rest = this.cps.slice(this.i, this.i + 32).join('');
    const m = /^\{(\d+)(,(\d*))?\}/.exec(rest);
    if (!m) return null;
    const leadingZero = (d: string | undefined) => d !== undefined && d.length > 1 && d[0] === '0';
    if (leadingZero(m[1]) || leadingZero(m[3])) return null;
    const parse = (d: string) => (d.length > 8 ? -1 : Number(d));
    const min = parse(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? -1 : parse(m[3]);
    return { min, max, length: m[0].length };
  }

  private repetition(start: number): void {
    const c = this.cps[this.i];
    let op: string;
    if (c === '{') {
      const spec = this.repeatSpec()!;
      this.i += spec.length;
      const text = this.cps.slice(start, this.i).join('');
      if (spec.min < 0 || spec.min > 1000 || spec.max > 1000 || (spec.max >= 0 && spec.min > spec.max)) {
        throw new RegexpSyntaxError('invalid repeat count', text);
      }
      op = spec.max === spec.min ? `{${spec.min}}` : spec.max < 0 ? `{${spec.min},}` : `{${spec.min},${spec.max}}`;
    } else {
      this.i++;
      op = c;
    }
    let lazy = this.flags.U;
    if (this.cps[this.i] === '?') {
      this.i++;
      lazy = !lazy;
    }
    if (this.lastRepeatStart >= 0) {
      throw new RegexpSyntaxError('invalid nested repetition operator', this.cps.slice(this.lastRepeatStart, this.i).join(''));
    }
    if (!this.repeatable) {
      throw new RegexpSyntaxError('missing argument to repetition operator', this.cps.slice(start, this.i).join(''));
    }
    this.out += op + (lazy ? '?' : '');
    this.lastRepeatStart = start;
  }

  private openGroup(): void {
    const start = this.i - 1;
    const saved = { ...this.flags };
    if (this.cps[this.i] !== '?') {
      this.groups.push({ flags: saved });
      this.out += '(';
      this.repeatable = false;
      return;
    }
    const rest = this.cps.slice(this.i).join('');
    const named = /^\?P?<([^>]*)>/.exec(rest);
    if (named && !/^\?<[=!]/.test(rest)) {
      const name = named[1];
      if (!/^[A-Za-z0-9_]+$/.test(name)) throw new RegexpSyntaxError('invalid named capture', '(' + named[0]);
      if (this.names.has(name)) throw new RegexpSyntaxError('duplicate capture group name', name);
      this.names.add(name);
      this.i += Array.from(named[0]).length;
      this.groups.push({ flags: saved });
      this.out += `(?<${name}>`;
      this.repeatable = false;
      return;
    }
    // Flag groups: (?flags) or (?flags:re), flags from "imsU", optionally negated after '-'.
    this.i++;
    const flags = { ...this.flags };
    let negated = false;
    let sawFlag = false;
    for (;;) {
      const c = this.cps[this.i];
      if (c === undefined) throw new RegexpSyntaxError('missing closing )', this.pattern);
      this.i++;
      if (c === 'i' || c === 'm' || c === 's' || c === 'U') {
        flags[c] = !negated;
        sawFlag = true;
        continue;
      }
      if (c === '-' && !negated) {
        negated = true;
        sawFlag = false;
        continue;
      }
      if ((c === ':' || c === ')') && !(negated && !sawFlag)) {
        if (c === ':') {
          this.groups.push({ flags: saved });
          this.flags = flags;
          this.out += '(?:';
          this.repeatable = false;
        } else {
          this.flags = flags;
        }
        return;
      }
      throw new RegexpSyntaxError('invalid or unsupported Perl syntax', this.cps.slice(start, this.i).join(''));
    }
  }

  private closeGroup(): void {
    const group = this.groups.pop();
    if (!group) throw new RegexpSyntaxError('unexpected )', this.pattern);
    this.flags = group.flags;
    this.atom(')');
  }

  /** Reads the escape after a backslash; returns a code point, ranges, or a JS property escape. */
  private readEscape(inClass: boolean): { cp: number } | { ranges: Range[] } | { js: string } {
    const start = this.i - 1;
    const c = this.cps[this.i++];
    const text = () => this.cps.slice(start, this.i).join('');
    if (c === undefined) throw new RegexpSyntaxError('trailing backslash at end of expression', '');
    switch (c) {
      case 'a': return { cp: 7 };
      case 'f': return { cp: 12 };
      case 't': return { cp: 9 };
      case 'n': return { cp: 10 };
      case 'r': return { cp: 13 };
      case 'v': return { cp: 11 };
      case 'd': return { ranges: DIGIT };
      case 'D': return { ranges: negate(DIGIT) };
      case 'w': return { ranges: WORD };
      case 'W': return { ranges: negate(WORD) };
      case 's': return { ranges: SPACE };
      case 'S': return { ranges: negate(SPACE) };
      case 'p': case 'P': {
        let name: string;
        if (this.cps[this.i] === '{') {
          const close = this.cps.indexOf('}', this.i);
          if (close < 0) throw new RegexpSyntaxError('invalid character class range', this.cps.slice(start).join(''));
          name = this.cps.slice(this.i + 1, close).join('');
          this.i = close + 1;
        } else {
          name = this.cps[this.i++] ?? '';
        }
        let negated = c === 'P';
        if (name.startsWith('^')) {
          negated = !negated;
          name = name.slice(1);
        }
        return { js: unicodeClass(name, negated, text()) };
      }
      case 'x': {
        if (this.cps[this.i] === '{') {
          const close = this.cps.indexOf('}', this.i);
          const hex = close < 0 ? '' : this.cps.slice(this.i + 1, close).join('');
          if (close < 0 || !/^[0-9a-fA-F]+$/.test(hex) || parseInt(hex, 16) > 0x10ffff) {
            this.i = close < 0 ? this.cps.length : close + 1;
            throw new RegexpSyntaxError('invalid escape sequence', text());
          }
          this.i = close + 1;
          return { cp: parseInt(hex, 16) };
        }
        const hex = this.cps.slice(this.i, this.i + 2).join('');
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) {
          this.i = Math.min(this.i + 2, this.cps.length);
          throw new RegexpSyntaxError('invalid escape sequence', text());
        }
        this.i += 2;
        return { cp: parseInt(hex, 16) };
      }
    }
    if (c >= '0' && c <= '7' && (c === '0' || /[0-7]/.test(this.cps[this.i] ?? ''))) {
      let value = Number(c);
      for (let k = 1; k < 3 && /[0-7]/.test(this.cps[this.i] ?? ''); k++) value = value * 8 + Number(this.cps[this.i++]);
      return { cp: value };
    }
    const cp = c.codePointAt(0)!;
    if (cp < 0x80 && !/[A-Za-z0-9]/.test(c)) return { cp };
    if (!inClass && (c === 'A' || c === 'z' || c === 'b' || c === 'B' || c === 'C' || c === 'Q')) return { js: c };
    throw new RegexpSyntaxError('invalid escape sequence', text());
  }

  private escape(): void {
    const e = this.readEscape(false);
    if ('cp' in e) return this.literal(e.cp);
    if ('ranges' in e) return this.atom(`[${rangesToClassBody(this.flags.i ? foldRanges(e.ranges) : e.ranges)}]`);
    switch (e.js) {
      case 'A': return this.atom('(?:(?<![\\u{0}-\\u{10ffff}]))');
      case 'z': return this.atom('(?:(?![\\u{0}-\\u{10ffff}]))');
      case 'b': return this.atom('(?:\\b)');
      case 'B': return this.atom('(?:\\B)');
      case 'C': return this.atom('[\\u{0}-\\u{10ffff}]');
      case 'Q': {
        let stop = this.i;
        while (stop < this.cps.length && !(this.cps[stop] === '\\' && this.cps[stop + 1] === 'E')) stop++;
        const quoted = this.cps.slice(this.i, stop);
        this.i = Math.min(stop + 2, this.cps.length);
        for (const ch of quoted) this.literal(ch.codePointAt(0)!);
        return;
      }
    }
    this.atom(e.js);
  }

  private charClass(): void {
    const start = this.i - 1;
    const missing = () => new RegexpSyntaxError('missing closing ]', this.cps.slice(start).join(''));
    let negated = false;
    if (this.cps[this.i] === '^') {
      negated = true;
      this.i++;
    }
    const ranges: Range[] = [];
    const properties: string[] = [];
    let first = true;
    for (;;) {
      const c = this.cps[this.i];
      if (c === undefined) throw missing();
      if (c === ']' && !first) {
        this.i++;
        break;
      }
      first = false;
      if (c === '[' && this.cps[this.i + 1] === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(this.cps.slice(this.i, this.i + 12).join(''));
        if (m) {
          const table = POSIX_CLASSES[m[2]];
          if (!table) throw new RegexpSyntaxError('invalid character class range', m[0]);
          ranges.push(...(m[1] ? negate(table) : table));
          this.i += m[0].length;
          continue;
        }
      }
      const memberStart = this.i;
      const lo = this.classChar(ranges, properties);
      if (lo === null) continue;
      if (this.cps[this.i] === '-' && this.cps[this.i + 1] !== undefined && this.cps[this.i + 1] !== ']') {
        this.i++;
        const hi = this.classChar(ranges, properties);
        if (hi === null || hi < lo) {
          throw new RegexpSyntaxError('invalid character class range', this.cps.slice(memberStart, this.i).join(''));
        }
        ranges.push([lo, hi]);
      } else {
        ranges.push([lo, lo]);
      }
    }
    const folded = this.flags.i ? foldRanges(ranges) : ranges;
    const body = rangesToClassBody(folded) + properties.join('');
    if (body === '') this.atom(negated ? '[\\u{0}-\\u{10ffff}]' : '[^\\u{0}-\\u{10ffff}]');
    else this.atom(`[${negated ? '^' : ''}${body}]`);
  }

  /** One class member: returns its code point, or null after adding a class escape (\d, \pL, …). */
  private classChar(ranges: Range[], properties: string[]): number | null {
    const c = this.cps[this.i++];
    if (c !== '\\') return c.codePointAt(0)!;
    const e = this.readEscape(true);
    if ('cp' in e) return e.cp;
    if ('ranges' in e) ranges.push(...e.ranges);
    else properties.push(e.js.startsWith('[') ? e.js.slice(1, -1) : e.js);
    return null;
  }
}

const cache = new Map<string, RegExp>();

function compile(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    const source = new Translator(pattern).translate();
    try {
      re = new RegExp(source, 'u');
    } catch {
      throw new RegexpSyntaxError('invalid or unsupported Perl syntax', pattern);
    }
    cache.set(pattern, re);
  }
  return re;
}

/**
 * Go's regexp.Match(pattern, value): unanchored RE2 match. Throws an Error whose message is hoop's
 * `regexp error: error parsing regexp: CODE: \`EXPR\`` for an invalid pattern.
 */
export function goRegexpMatch(pattern: string, value: string): boolean {
  return compile(pattern).test(value);
}
