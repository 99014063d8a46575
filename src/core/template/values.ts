/**
 * The Go values a hoop template can produce (the data is a map[string]string, so only strings, the map,
 * literals and builtin results occur), with Go's type names and fmt's %v / Sprint / Sprintf formatting.
 */
import { canBackquote, compareGoStrings, goBytes, goQuote, goQuoteRune, goRunesAsText, isGoPrint, utf8Length } from './goText';
import { checkGrowth } from './limits';

export type GoValue =
  | { readonly kind: 'invalid' }
  | { readonly kind: 'string'; readonly s: string }
  | { readonly kind: 'bool'; readonly b: boolean }
  | { readonly kind: 'int'; readonly i: bigint }
  | { readonly kind: 'uint8'; readonly i: bigint }
  | { readonly kind: 'float64'; readonly f: number }
  | { readonly kind: 'complex128'; readonly re: number; readonly im: number }
  | { readonly kind: 'map'; readonly m: ReadonlyMap<string, string> };

export const INVALID: GoValue = { kind: 'invalid' };
export const goString = (s: string): GoValue => ({ kind: 'string', s });
export const goBool = (b: boolean): GoValue => ({ kind: 'bool', b });
export const goInt = (i: bigint | number): GoValue => ({ kind: 'int', i: BigInt(i) });

/** reflect.Type.String() of a valid value. */
export function typeName(v: GoValue): string {
  switch (v.kind) {
    case 'map': return 'map[string]string';
    case 'invalid': return '<nil>';
    default: return v.kind;
  }
}

/** template's isTrue: Go's notion of an empty value. */
export function isTrue(v: GoValue): boolean {
  switch (v.kind) {
    case 'invalid': return false;
    case 'string': return v.s.length > 0;
    case 'map': return v.m.size > 0;
    case 'bool': return v.b;
    case 'int': case 'uint8': return v.i !== 0n;
    case 'float64': return v.f !== 0;
    case 'complex128': return v.re !== 0 || v.im !== 0;
  }
}

/** A non-negative decimal 0.d × 10^dp, as strconv's decimal: no trailing zeros in d; d is '' for zero. */
interface Decimal {
  readonly d: string;
  readonly dp: number;
}

function float64Bits(f: number): { mant: bigint; exp: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, f);
  const bits = view.getBigUint64(0);
  return { mant: bits & ((1n << 52n) - 1n), exp: Number((bits >> 52n) & 0x7ffn) };
}

function trimDecimal(digits: string, dp: number): Decimal {
  const d = digits.replace(/0+$/, '');
  return d === '' ? { d: '', dp: 0 } : { d, dp };
}

/** The exact decimal value of a finite |f| (every float64 has one). */
function exactDecimal(a: number): Decimal {
  if (a === 0) return { d: '', dp: 0 };
  const { mant, exp } = float64Bits(a);
  const m = exp === 0 ? mant : mant | (1n << 52n);
  const e = (exp === 0 ? 1 : exp) - 1075;
  if (e >= 0) {
    const digits = (m << BigInt(e)).toString();
    return trimDecimal(digits, digits.length);
  }
  const digits = (m * 5n ** BigInt(-e)).toString();
  return trimDecimal(digits, digits.length + e);
}

/** The shortest decimal that reads back as |f| (Go's and JavaScript's shortest formatting agree). */
function shortestDecimal(a: number): Decimal {
  if (a === 0) return { d: '', dp: 0 };
  const [m, e] = a.toExponential().split('e');
  return trimDecimal(m.replace('.', ''), Number(e) + 1);
}

/** strconv's decimal.Round(nd): to nearest, ties to even. */
function roundDecimal(x: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= x.d.length) return x;
  const halfway = x.d[nd] === '5' && nd + 1 === x.d.length;
  const up = halfway ? nd > 0 && Number(x.d[nd - 1]) % 2 === 1 : x.d[nd] >= '5';
  if (!up) return trimDecimal(x.d.slice(0, nd), x.dp);
  let i = nd - 1;
  while (i >= 0 && x.d[i] === '9') i--;
  if (i < 0) return { d: '1', dp: x.dp + 1 };
  return trimDecimal(x.d.slice(0, i) + String(Number(x.d[i]) + 1), x.dp);
}

const digitAt = (x: Decimal, i: number) => (i >= 0 && i < x.d.length ? x.d[i] : '0');

/** %e: d.ddddde±dd. */
function fmtE(x: Decimal, prec: number, e: 'e' | 'E'): string {
  let out = x.d === '' ? '0' : x.d[0];
  if (prec > 0) {
    let frac = x.d.slice(1, 1 + prec);
    frac += '0'.repeat(prec - frac.length);
    out += '.' + frac;
  }
  const exp = x.d === '' ? 0 : x.dp - 1;
  const abs = Math.abs(exp);
  return `${out}${e}${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
}

/** %f: ddd.dddd. */
function fmtF(x: Decimal, prec: number): string {
  let out = x.dp > 0 ? x.d.slice(0, x.dp) + '0'.repeat(Math.max(x.dp - x.d.length, 0)) : '0';
  if (prec > 0) {
    let frac = '';
    for (let i = 1; i <= prec; i++) frac += digitAt(x, x.dp + i - 1);
    out += '.' + frac;
  }
  return out;
}

/** %b: the binary exponent form, ddddp±ddd. */
function fmtB(f: number): string {
  const { mant, exp } = float64Bits(f);
  const m = exp === 0 ? mant : mant | (1n << 52n);
  const e = (exp === 0 ? 1 : exp) - 1023 - 52;
  return `${m}p${e >= 0 ? '+' : ''}${e}`;
}

const UINT64 = (1n << 64n) - 1n;

/** %x and %X: the hexadecimal mantissa and binary exponent, -0x1.yyyp±dd, rounded half to even at a precision. */
function fmtX(a: number, prec: number, verb: 'x' | 'X'): string {
  const { mant: frac, exp: biased } = float64Bits(a);
  let mant = biased === 0 ? frac : frac | (1n << 52n);
  let exp = (biased === 0 ? 1 : biased) - 1023;
  if (mant === 0n) exp = 0;
  mant = (mant << 8n) & UINT64; // the leading 1, if any, at bit 60
  while (mant !== 0n && (mant & (1n << 60n)) === 0n) {
    mant = (mant << 1n) & UINT64;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & ((1n << 60n) - 1n);
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  const digit = (d: bigint) => (verb === 'X' ? d.toString(16).toUpperCase() : d.toString(16));
  let out = `0${verb}${(mant >> 60n) & 1n}`;
  mant = (mant << 4n) & UINT64;
  if ((prec < 0 && mant !== 0n) || prec > 0) {
    out += '.';
    for (let i = 0; prec < 0 ? mant !== 0n : i < prec; i++) {
      out += digit((mant >> 60n) & 15n);
      mant = (mant << 4n) & UINT64;
    }
  }
  const e = Math.abs(exp);
  return `${out}${verb === 'X' ? 'P' : 'p'}${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
}

export type FloatVerb = 'b' | 'e' | 'E' | 'f' | 'g' | 'G' | 'x' | 'X';

/** strconv.FormatFloat(f, verb, prec, 64); prec -1 means the shortest exact representation. */
export function formatFloat(f: number, verb: FloatVerb, prec: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  const sign = f < 0 || Object.is(f, -0) ? '-' : '';
  const a = Math.abs(f);
  if (verb === 'b') return sign + fmtB(a);
  if (verb === 'x' || verb === 'X') return sign + fmtX(a, prec, verb);
  const shortest = prec < 0;
  let x = shortest ? shortestDecimal(a) : exactDecimal(a);
  switch (verb) {
    case 'e': case 'E':
      if (shortest) return sign + fmtE(x, Math.max(x.d.length - 1, 0), verb);
      return sign + fmtE(roundDecimal(x, prec + 1), prec, verb);
    case 'f':
      if (shortest) return sign + fmtF(x, Math.max(x.d.length - x.dp, 0));
      return sign + fmtF(roundDecimal(x, x.dp + prec), prec);
  }
  let digits = prec;
  if (shortest) digits = x.d.length;
  else {
    if (digits === 0) digits = 1;
    x = roundDecimal(x, digits);
  }
  let eprec = digits;
  if (eprec > x.d.length && x.d.length >= x.dp) eprec = x.d.length;
  if (shortest) eprec = 6;
  const exp = x.dp - 1;
  if (exp < -4 || exp >= eprec) {
    if (digits > x.d.length) digits = x.d.length;
    return sign + fmtE(x, Math.max(digits - 1, 0), verb === 'G' ? 'E' : 'e');
  }
  if (digits > x.dp) digits = x.d.length;
  return sign + fmtF(x, Math.max(digits - x.dp, 0));
}

function formatComplex(re: number, im: number, floatFormat: (f: number) => string): string {
  const imText = floatFormat(im);
  return `(${floatFormat(re)}${imText.startsWith('-') || imText.startsWith('+') ? '' : '+'}${imText}i)`;
}

/** fmt's %v. An invalid value is a nil interface here: `<nil>`. */
export function formatV(v: GoValue): string {
  switch (v.kind) {
    case 'invalid': return '<nil>';
    case 'string': return v.s;
    case 'bool': return v.b ? 'true' : 'false';
    case 'int': case 'uint8': return v.i.toString();
    case 'float64': return formatFloat(v.f, 'g', -1);
    case 'complex128': return formatComplex(v.re, v.im, (f) => formatFloat(f, 'g', -1));
    case 'map': {
      const keys = [...v.m.keys()].sort(compareGoStrings);
      return `map[${keys.map((k) => `${k}:${v.m.get(k)}`).join(' ')}]`;
    }
  }
}

/** fmt.Sprint: a space between operands when neither side is a string. */
export function sprint(args: readonly GoValue[]): string {
  const out = new Output();
  args.forEach((arg, i) => {
    const isString = arg.kind === 'string';
    if (i > 0 && !isString && args[i - 1].kind !== 'string') out.write(' ');
    out.write(formatV(arg));
  });
  return out.text();
}

/** fmt.Sprintln. */
export function sprintln(args: readonly GoValue[]): string {
  const out = new Output();
  args.forEach((arg, i) => out.write(i > 0 ? ' ' + formatV(arg) : formatV(arg)));
  out.write('\n');
  return out.text();
}

/** A string being built, refused once it is past the size limit (before V8's own string limit throws). */
class Output {
  private readonly parts: string[] = [];
  private length = 0;

  write(s: string): void {
    this.length += s.length;
    checkGrowth(this.length);
    this.parts.push(s);
  }

  text(): string {
    return this.parts.join('');
  }
}

/** fmt's flags, width and precision for one verb. */
interface Flags {
  widPresent: boolean;
  precPresent: boolean;
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  /** %+v and %#v: set instead of plus and sharp. */
  plusV: boolean;
  sharpV: boolean;
  wid: number;
  prec: number;
}

const clearFlags = (): Flags => ({
  widPresent: false, precPresent: false, minus: false, plus: false, sharp: false, space: false, zero: false,
  plusV: false, sharpV: false, wid: 0, prec: 0,
});

const runeCount = (s: string) => Array.from(s).length;

/** fmt's formatting of one operand under the current flags (format.go's fmt and print.go's printArg). */
class Formatter {
  f: Flags = clearFlags();

  constructor(private readonly out: Output) {}

  private writePadding(n: number): void {
    if (n > 0) this.out.write((this.f.zero && !this.f.minus ? '0' : ' ').repeat(n));
  }

  /** pad / padString: width counts runes; zero padding only on the left. */
  pad(s: string): void {
    if (!this.f.widPresent || this.f.wid === 0) return this.out.write(s);
    const width = this.f.wid - runeCount(s);
    if (!this.f.minus) {
      this.writePadding(width);
      this.out.write(s);
    } else {
      this.out.write(s);
      this.writePadding(width);
    }
  }

  private withoutZero(action: () => void): void {
    const oldZero = this.f.zero;
    this.f.zero = false;
    action();
    this.f.zero = oldZero;
  }

  printArg(arg: GoValue, verb: string): void {
    if (arg.kind === 'invalid') {
      if (verb === 'T' || verb === 'v') this.pad('<nil>');
      else this.badVerb(verb, arg);
      return;
    }
    if (verb === 'T') return this.fmtS(typeName(arg));
    switch (arg.kind) {
      case 'bool':
        if (verb === 't' || verb === 'v') this.pad(arg.b ? 'true' : 'false');
        else this.badVerb(verb, arg);
        return;
      case 'float64': return this.fmtFloatVerb(arg, arg.f, verb);
      case 'complex128': return this.fmtComplex(arg, verb);
      case 'int': return this.fmtIntegerVerb(arg, BigInt.asUintN(64, arg.i), true, verb);
      case 'uint8': return this.fmtIntegerVerb(arg, arg.i, false, verb);
      case 'string': return this.fmtString(arg, verb);
      case 'map': return this.fmtMap(arg, verb);
    }
  }

  private badVerb(verb: string, arg: GoValue): void {
    this.out.write(`%!${verb}(`);
    if (arg.kind === 'invalid') this.out.write('<nil>');
    else {
      this.out.write(`${typeName(arg)}=`);
      this.printArg(arg, 'v');
    }
    this.out.write(')');
  }

  private fmtS(s: string): void {
    this.pad(this.truncate(s));
  }

  private truncate(s: string): string {
    return this.f.precPresent ? Array.from(s).slice(0, this.f.prec).join('') : s;
  }

  private fmtString(arg: GoValue & { kind: 'string' }, verb: string): void {
    switch (verb) {
      case 'v': return this.f.sharpV ? this.fmtQ(arg.s) : this.fmtS(arg.s);
      case 's': return this.fmtS(arg.s);
      case 'x': return this.fmtSx(arg.s, false);
      case 'X': return this.fmtSx(arg.s, true);
      case 'q': return this.fmtQ(arg.s);
    }
    this.badVerb(verb, arg);
  }

  private fmtQ(str: string): void {
    const s = this.truncate(str);
    if (this.f.sharp && canBackquote(s)) return this.pad('`' + s + '`');
    this.pad(goQuote(s, this.f.plus));
  }

  /** fmtSbx: the hexadecimal of the bytes, with 0x prefixes and spaces on request. */
  private fmtSx(s: string, upper: boolean): void {
    let bytes = goBytes(s);
    if (this.f.precPresent && this.f.prec < bytes.length) bytes = bytes.subarray(0, this.f.prec);
    if (bytes.length === 0) {
      if (this.f.widPresent) this.writePadding(this.f.wid);
      return;
    }
    const prefix = upper ? '0X' : '0x';
    const hex = [...bytes].map((b) => {
      const h = b.toString(16).padStart(2, '0');
      return upper ? h.toUpperCase() : h;
    });
    let text: string;
    if (this.f.space) text = hex.map((h) => (this.f.sharp ? prefix + h : h)).join(' ');
    else text = (this.f.sharp ? prefix : '') + hex.join('');
    if (this.f.widPresent && this.f.wid > text.length && !this.f.minus) this.writePadding(this.f.wid - text.length);
    this.out.write(text);
    if (this.f.widPresent && this.f.wid > text.length && this.f.minus) this.writePadding(this.f.wid - text.length);
  }

  /** print.go's fmtInteger: `u` is the uint64 bit pattern. */
  private fmtIntegerVerb(arg: GoValue, u: bigint, signed: boolean, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.f.sharpV && !signed) {
          const sharp = this.f.sharp;
          this.f.sharp = true;
          this.fmtInteger(u, 16, signed, verb, false);
          this.f.sharp = sharp;
        } else this.fmtInteger(u, 10, signed, verb, false);
        return;
      case 'd': return this.fmtInteger(u, 10, signed, verb, false);
      case 'b': return this.fmtInteger(u, 2, signed, verb, false);
      case 'o': case 'O': return this.fmtInteger(u, 8, signed, verb, false);
      case 'x': return this.fmtInteger(u, 16, signed, verb, false);
      case 'X': return this.fmtInteger(u, 16, signed, verb, true);
      case 'c': return this.pad(String.fromCodePoint(validRune(u)));
      case 'q': return this.pad(goQuoteRune(u > 0x10ffffn ? -1n : u, this.f.plus));
      case 'U': return this.fmtUnicode(u);
    }
    this.badVerb(verb, arg);
  }

  /** format.go's fmtInteger. */
  private fmtInteger(bits: bigint, base: number, signed: boolean, verb: string, upper: boolean): void {
    const value = signed ? BigInt.asIntN(64, bits) : bits;
    const negative = value < 0n;
    const u = negative ? -value : value;
    let prec = 0;
    if (this.f.precPresent) {
      prec = this.f.prec;
      if (prec === 0 && u === 0n) return this.withoutZero(() => this.writePadding(this.f.wid));
    } else if (this.f.zero && !this.f.minus && this.f.widPresent) {
      prec = this.f.wid;
      if (negative || this.f.plus || this.f.space) prec--;
    }
    let digits = u.toString(base);
    if (upper) digits = digits.toUpperCase();
    digits = digits.padStart(prec, '0');
    if (this.f.sharp) {
      if (base === 2) digits = '0b' + digits;
      else if (base === 8 && digits[0] !== '0') digits = '0' + digits;
      else if (base === 16) digits = (upper ? '0X' : '0x') + digits;
    }
    if (verb === 'O') digits = '0o' + digits;
    const sign = negative ? '-' : this.f.plus ? '+' : this.f.space ? ' ' : '';
    this.withoutZero(() => this.pad(sign + digits));
  }

  /** U+0078, or with # U+0078 'x'. */
  private fmtUnicode(u: bigint): void {
    const prec = this.f.precPresent && this.f.prec > 4 ? this.f.prec : 4;
    let text = 'U+' + u.toString(16).toUpperCase().padStart(prec, '0');
    if (this.f.sharp && u <= 0x10ffffn && isGoPrint(Number(u))) text += ` '${String.fromCodePoint(Number(u))}'`;
    this.withoutZero(() => this.pad(text));
  }

  private fmtFloatVerb(arg: GoValue, v: number, verb: string): void {
    switch (verb) {
      case 'v': return this.fmtFloat(v, 'g', -1);
      case 'b': case 'g': case 'G': case 'x': case 'X': return this.fmtFloat(v, verb, -1);
      case 'f': case 'e': case 'E': return this.fmtFloat(v, verb, 6);
      case 'F': return this.fmtFloat(v, 'f', 6);
    }
    this.badVerb(verb, arg);
  }

  private fmtComplex(arg: GoValue & { kind: 'complex128' }, verb: string): void {
    if (!['v', 'b', 'g', 'G', 'x', 'X', 'f', 'F', 'e', 'E'].includes(verb)) return this.badVerb(verb, arg);
    const oldPlus = this.f.plus;
    this.out.write('(');
    this.fmtFloatVerb(arg, arg.re, verb);
    this.f.plus = true; // the imaginary part always has a sign
    this.fmtFloatVerb(arg, arg.im, verb);
    this.out.write('i)');
    this.f.plus = oldPlus;
  }

  /** format.go's fmtFloat: sign handling, Inf/NaN, and # keeping the point and trailing zeros. */
  private fmtFloat(v: number, verb: FloatVerb, defaultPrec: number): void {
    const prec = this.f.precPresent ? this.f.prec : defaultPrec;
    let num = formatFloat(v, verb, prec);
    if (num[0] !== '-' && num[0] !== '+') num = '+' + num;
    if (this.f.space && num[0] === '+' && !this.f.plus) num = ' ' + num.slice(1);
    if (num[1] === 'I' || num[1] === 'N') {
      if (num[1] === 'N' && !this.f.space && !this.f.plus) num = num.slice(1);
      return this.withoutZero(() => this.pad(num));
    }
    if (this.f.sharp && verb !== 'b') num = keepPointAndZeros(num, verb, prec);
    if (this.f.plus || num[0] !== '+') {
      if (this.f.zero && !this.f.minus && this.f.widPresent && this.f.wid > num.length) {
        this.out.write(num[0]);
        this.writePadding(this.f.wid - num.length);
        this.out.write(num.slice(1));
        return;
      }
      return this.pad(num);
    }
    this.pad(num.slice(1));
  }

  private fmtMap(arg: GoValue & { kind: 'map' }, verb: string): void {
    const keys = [...arg.m.keys()].sort(compareGoStrings);
    this.out.write(this.f.sharpV ? 'map[string]string{' : 'map[');
    keys.forEach((key, i) => {
      if (i > 0) this.out.write(this.f.sharpV ? ', ' : ' ');
      this.printArg(goString(key), verb);
      this.out.write(':');
      this.printArg(goString(arg.m.get(key)!), verb);
    });
    this.out.write(this.f.sharpV ? '}' : ']');
  }
}

/** utf8.AppendRune's view of a uint64: past U+10FFFF or a surrogate is U+FFFD. */
function validRune(u: bigint): number {
  if (u > 0x10ffffn || (u >= 0xd800n && u <= 0xdfffn)) return 0xfffd;
  return Number(u);
}

/** The # flag for floats: always a decimal point, and %g's (and %x's) trailing zeros up to the precision. */
function keepPointAndZeros(signed: string, verb: FloatVerb, prec: number): string {
  let digits = verb === 'g' || verb === 'G' || verb === 'x' ? (prec === -1 ? 6 : prec) : 0;
  let num = signed;
  let tail = '';
  let hasPoint = false;
  let sawNonzero = false;
  for (let i = 1; i < num.length; i++) {
    const c = num[i];
    if (c === '.') hasPoint = true;
    else if (c === 'p' || c === 'P' || ((c === 'e' || c === 'E') && verb !== 'x' && verb !== 'X')) {
      tail = num.slice(i);
      num = num.slice(0, i);
      break;
    } else {
      if (c !== '0') sawNonzero = true;
      if (sawNonzero) digits--;
    }
  }
  if (!hasPoint) {
    if (num.length === 2 && num[1] === '0') digits--;
    num += '.';
  }
  if (digits > 0) num += '0'.repeat(digits);
  return num + tail;
}

/** fmt's tooLarge: widths and precisions past a million are refused. */
const tooLarge = (x: number) => x > 1e6 || x < -1e6;

/** fmt's parsenum: the number at format[start:], stopping (as "no number") once it is too large. */
function parsenum(format: string, start: number): { num: number; isnum: boolean; next: number } {
  let num = 0;
  let isnum = false;
  let i = start;
  for (; i < format.length && format[i] >= '0' && format[i] <= '9'; i++) {
    if (tooLarge(num)) return { num: 0, isnum: false, next: format.length };
    num = num * 10 + Number(format[i]);
    isnum = true;
  }
  return { num, isnum, next: i };
}

/** fmt's intFromArg: a * width or precision taken from an integer argument. */
function intFromArg(args: readonly GoValue[], argNum: number): { num: number; isInt: boolean; next: number } {
  if (argNum >= args.length) return { num: 0, isInt: false, next: argNum };
  const arg = args[argNum];
  const isInt = (arg.kind === 'int' || arg.kind === 'uint8') && !tooLarge(Number(arg.i));
  return { num: isInt ? Number((arg as { i: bigint }).i) : 0, isInt, next: argNum + 1 };
}

/** fmt.Sprintf, ported from print.go's doPrintf: flags, [n] argument indexes, * widths, and Go's %!… notes. */
export function sprintf(format: string, args: readonly GoValue[]): string {
  const out = new Output();
  const p = new Formatter(out);
  const end = format.length;
  let argNum = 0;
  let afterIndex = false;
  let reordered = false;
  let goodArgNum = true;

  /** argNumber: an explicit [n] at format[i:], if any. */
  const argNumber = (i: number): { argNum: number; i: number; found: boolean } => {
    if (i >= end || format[i] !== '[') return { argNum, i, found: false };
    reordered = true;
    const close = format.indexOf(']', i + 1);
    if (format.length - i < 3 || close < 0) {
      goodArgNum = false;
      return { argNum, i: i + 1, found: false };
    }
    const { num, isnum, next } = parsenum(format.slice(0, close), i + 1);
    const ok = isnum && next === close;
    const index = num - 1;
    if (ok && index >= 0 && index < args.length) return { argNum: index, i: close + 1, found: true };
    goodArgNum = false;
    return { argNum, i: close + 1, found: ok };
  };

  let i = 0;
  while (i < end) {
    goodArgNum = true;
    const percent = format.indexOf('%', i);
    if (percent < 0) {
      out.write(format.slice(i));
      break;
    }
    if (percent > i) out.write(format.slice(i, percent));
    i = percent + 1;

    p.f = clearFlags();
    const f = p.f;
    for (; i < end; i++) {
      const c = format[i];
      if (c === '#') f.sharp = true;
      else if (c === '0') f.zero = true;
      else if (c === '+') f.plus = true;
      else if (c === '-') f.minus = true;
      else if (c === ' ') f.space = true;
      else break;
    }

    ({ argNum, i, found: afterIndex } = argNumber(i));

    if (i < end && format[i] === '*') {
      i++;
      const w = intFromArg(args, argNum);
      [f.wid, f.widPresent, argNum] = [w.num, w.isInt, w.next];
      if (!f.widPresent) out.write('%!(BADWIDTH)');
      if (f.wid < 0) {
        f.wid = -f.wid;
        f.minus = true;
        f.zero = false;
      }
      afterIndex = false;
    } else {
      const w = parsenum(format, i);
      [f.wid, f.widPresent, i] = [w.num, w.isnum, w.next];
      if (afterIndex && f.widPresent) goodArgNum = false;
    }

    if (i + 1 < end && format[i] === '.') {
      i++;
      if (afterIndex) goodArgNum = false;
      ({ argNum, i, found: afterIndex } = argNumber(i));
      if (i < end && format[i] === '*') {
        i++;
        const pr = intFromArg(args, argNum);
        [f.prec, f.precPresent, argNum] = [pr.num, pr.isInt, pr.next];
        if (f.prec < 0) {
          f.prec = 0;
          f.precPresent = false;
        }
        if (!f.precPresent) out.write('%!(BADPREC)');
        afterIndex = false;
      } else {
        const pr = parsenum(format, i);
        [f.prec, f.precPresent, i] = [pr.num, pr.isnum, pr.next];
        if (!f.precPresent) {
          f.prec = 0;
          f.precPresent = true;
        }
      }
    }

    if (!afterIndex) ({ argNum, i, found: afterIndex } = argNumber(i));

    if (i >= end) {
      out.write('%!(NOVERB)');
      break;
    }

    const raw = String.fromCodePoint(format.codePointAt(i)!);
    i += raw.length;
    const verb = goRunesAsText(raw);
    if (verb === '%') out.write('%');
    else if (!goodArgNum) out.write(`%!${verb}(BADINDEX)`);
    else if (argNum >= args.length) out.write(`%!${verb}(MISSING)`);
    else {
      if (verb === 'v') {
        [f.sharpV, f.sharp, f.plusV, f.plus] = [f.sharp, false, f.plus, false];
      }
      p.printArg(args[argNum], verb);
      argNum++;
    }
  }

  if (!reordered && argNum < args.length) {
    p.f = clearFlags();
    out.write('%!(EXTRA ');
    args.slice(argNum).forEach((arg, k) => {
      if (k > 0) out.write(', ');
      if (arg.kind === 'invalid') out.write('<nil>');
      else {
        out.write(`${typeName(arg)}=`);
        p.printArg(arg, 'v');
      }
    });
    out.write(')');
  }
  return out.text();
}

/** Number of bytes of a Go string (len). */
export function byteLength(s: string): number {
  return utf8Length(s);
}
