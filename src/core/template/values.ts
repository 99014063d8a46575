/**
 * The Go values a hoop template can produce (the data is a map[string]string, so only strings, the map,
 * literals and builtin results occur), with Go's type names and fmt's %v / Sprint / Sprintf formatting.
 */
import { compareGoStrings, goQuote, goQuoteRune, utf8Length } from './goText';

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

/** strconv.FormatFloat(f, fmt, prec, 64) for 'e', 'f' and 'g' (prec -1 = shortest). */
export function formatFloat(f: number, verb: 'e' | 'f' | 'g', prec: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  const negative = f < 0 || Object.is(f, -0);
  const a = Math.abs(f);
  const sign = negative ? '-' : '';
  const expForm = (digits: string, exp: number): string => {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    return `${mantissa}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  };
  // Decimal digits and exponent of the value, shortest or to a precision.
  const decompose = (significant: number | undefined): { digits: string; exp: number } => {
    const s = significant === undefined ? a.toExponential() : a.toExponential(Math.max(significant - 1, 0));
    const [m, e] = s.split('e');
    return { digits: m.replace('.', ''), exp: Number(e) };
  };
  if (verb === 'f') return sign + (prec < 0 ? shortestFixed(a) : a.toFixed(prec));
  if (verb === 'e') {
    const { digits, exp } = decompose(prec < 0 ? undefined : prec + 1);
    return sign + expForm(digits, exp);
  }
  const shortest = prec < 0;
  const { digits: raw, exp } = decompose(shortest ? undefined : prec === 0 ? 1 : prec);
  const digits = shortest ? raw : raw.replace(/0+$/, '') || '0';
  const eprec = shortest ? 6 : (prec === 0 ? 1 : prec);
  if (exp < -4 || exp >= eprec) return sign + expForm(digits, exp);
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return sign + digits + '0'.repeat(exp + 1 - digits.length);
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

function shortestFixed(a: number): string {
  const { digits, exp } = (() => {
    const [m, e] = a.toExponential().split('e');
    return { digits: m.replace('.', ''), exp: Number(e) };
  })();
  if (exp < 0) return `0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return digits + '0'.repeat(exp + 1 - digits.length);
  return `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
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
  let out = '';
  args.forEach((arg, i) => {
    const isString = arg.kind === 'string';
    if (i > 0 && !isString && args[i - 1].kind !== 'string') out += ' ';
    out += formatV(arg);
  });
  return out;
}

/** fmt.Sprintln. */
export function sprintln(args: readonly GoValue[]): string {
  return args.map(formatV).join(' ') + '\n';
}

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number | undefined;
  prec: number | undefined;
}

function pad(s: string, spec: Spec, numeric: boolean): string {
  const width = spec.width ?? 0;
  const length = Array.from(s).length;
  if (length >= width) return s;
  const fill = width - length;
  if (spec.minus) return s + ' '.repeat(fill);
  if (spec.zero && numeric) {
    const signed = /^[+\- ]/.test(s);
    return signed ? s[0] + '0'.repeat(fill) + s.slice(1) : '0'.repeat(fill) + s;
  }
  if (spec.zero && !numeric) return '0'.repeat(fill) + s;
  return ' '.repeat(fill) + s;
}

function badVerb(verb: string, v: GoValue): string {
  if (v.kind === 'invalid') return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(v)}=${formatV(v)})`;
}

function formatInteger(i: bigint, verb: string, spec: Spec): string | null {
  const negative = i < 0n;
  const a = negative ? -i : i;
  let digits: string;
  switch (verb) {
    case 'd': case 'v': digits = a.toString(10); break;
    case 'b': digits = a.toString(2); break;
    case 'o': digits = a.toString(8); break;
    case 'O': digits = '0o' + a.toString(8); break;
    case 'x': digits = a.toString(16); break;
    case 'X': digits = a.toString(16).toUpperCase(); break;
    default: return null;
  }
  if (spec.prec !== undefined) digits = spec.prec === 0 && a === 0n ? '' : digits.padStart(spec.prec, '0');
  if (spec.sharp && (verb === 'x' || verb === 'X')) digits = (verb === 'x' ? '0x' : '0X') + digits;
  const sign = negative ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  return pad(sign + digits, spec.prec !== undefined ? { ...spec, zero: false } : spec, true);
}

function formatFloatVerb(f: number, verb: string, spec: Spec): string | null {
  let s: string;
  switch (verb) {
    case 'v': case 'g': s = formatFloat(f, 'g', spec.prec ?? -1); break;
    case 'G': s = formatFloat(f, 'g', spec.prec ?? -1).toUpperCase(); break;
    case 'e': s = formatFloat(f, 'e', spec.prec ?? 6); break;
    case 'E': s = formatFloat(f, 'e', spec.prec ?? 6).toUpperCase(); break;
    case 'f': case 'F': s = formatFloat(f, 'f', spec.prec ?? 6); break;
    default: return null;
  }
  if (spec.plus && !s.startsWith('-') && !s.startsWith('+')) s = '+' + s;
  else if (spec.space && !s.startsWith('-')) s = ' ' + s;
  if (s === '+Inf' && !spec.plus) s = 'Inf';
  return pad(s, spec, Number.isFinite(f));
}

function hexOfString(s: string, upper: boolean, spec: Spec): string {
  const bytes = Buffer.from(s, 'utf8');
  const parts = [...bytes].map((b) => b.toString(16).padStart(2, '0'));
  let out = spec.space ? parts.map((p) => (spec.sharp ? '0x' + p : p)).join(' ') : (spec.sharp && parts.length ? '0x' : '') + parts.join('');
  if (upper) out = out.toUpperCase();
  return out;
}

function truncateRunes(s: string, prec: number | undefined): string {
  return prec === undefined ? s : Array.from(s).slice(0, prec).join('');
}

function formatOne(v: GoValue, verb: string, spec: Spec): string {
  if (verb === 'T') return pad(v.kind === 'invalid' ? '<nil>' : typeName(v), spec, false);
  if (v.kind === 'invalid') return verb === 'v' ? pad('<nil>', spec, false) : badVerb(verb, v);
  switch (v.kind) {
    case 'string':
      switch (verb) {
        case 'v': case 's': return pad(truncateRunes(v.s, spec.prec), spec, false);
        case 'q': return pad(goQuote(truncateRunes(v.s, spec.prec)), spec, false);
        case 'x': case 'X': return pad(hexOfString(truncateRunes(v.s, spec.prec), verb === 'X', spec), spec, false);
      }
      return badVerb(verb, v);
    case 'bool':
      return verb === 'v' || verb === 't' ? pad(v.b ? 'true' : 'false', spec, false) : badVerb(verb, v);
    case 'int': case 'uint8': {
      if (verb === 'c') return pad(String.fromCodePoint(Number(v.i) >= 0 && Number(v.i) <= 0x10ffff ? Number(v.i) : 0xfffd), spec, false);
      if (verb === 'q') return pad(goQuoteRune(Number(v.i)), spec, false);
      if (verb === 'U') return pad(`U+${v.i.toString(16).toUpperCase().padStart(4, '0')}`, spec, false);
      return formatInteger(v.i, verb, spec) ?? badVerb(verb, v);
    }
    case 'float64':
      return formatFloatVerb(v.f, verb, spec) ?? badVerb(verb, v);
    case 'complex128': {
      const re = formatFloatVerb(v.re, verb, { ...spec, width: undefined });
      const im = formatFloatVerb(v.im, verb, { ...spec, width: undefined, plus: true });
      return re === null || im === null ? badVerb(verb, v) : pad(`(${re}${im}i)`, spec, false);
    }
    case 'map':
      return verb === 'v' ? pad(formatV(v), spec, false) : badVerb(verb, v);
  }
}

/** fmt.Sprintf for the verbs templates use: %v %s %q %d %x %X %o %b %c %U %t %e %f %g %T %%, flags, width, precision. */
export function sprintf(format: string, args: readonly GoValue[]): string {
  let out = '';
  let argIndex = 0;
  let i = 0;
  while (i < format.length) {
    const c = format[i];
    if (c !== '%') {
      out += c;
      i++;
      continue;
    }
    i++;
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false, width: undefined, prec: undefined };
    for (; i < format.length; i++) {
      const f = format[i];
      if (f === '-') spec.minus = true;
      else if (f === '+') spec.plus = true;
      else if (f === '#') spec.sharp = true;
      else if (f === ' ') spec.space = true;
      else if (f === '0') spec.zero = !spec.minus;
      else break;
    }
    const readNumber = (): number | undefined => {
      if (format[i] === '*') {
        i++;
        const a = args[argIndex++];
        if (a && a.kind === 'int') return Number(a.i);
        out += '%!(BADWIDTH)';
        return undefined;
      }
      const m = /^\d+/.exec(format.slice(i));
      if (!m) return undefined;
      i += m[0].length;
      return Number(m[0]);
    };
    spec.width = readNumber();
    if (spec.width !== undefined && spec.width < 0) {
      spec.minus = true;
      spec.width = -spec.width;
    }
    if (format[i] === '.') {
      i++;
      spec.prec = readNumber() ?? 0;
    }
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argIndex >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatOne(args[argIndex++], verb, spec);
  }
  if (argIndex < args.length) {
    const extra = args.slice(argIndex).map((a) => (a.kind === 'invalid' ? '<nil>' : `${typeName(a)}=${formatV(a)}`));
    out += `%!(EXTRA ${extra.join(', ')})`;
  }
  return out;
}

/** Number of bytes of a Go string (len). */
export function byteLength(s: string): number {
  return utf8Length(s);
}
