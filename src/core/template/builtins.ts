/**
 * Go text/template's predefined functions (funcs.go), restricted to the value kinds a hoop template can hold,
 * with Go's signatures (for the arity and type checks in exec) and Go's error texts.
 */
import { compareGoStrings, goBytes, goStringFromBytes, isGoPrint } from './goText';
import { FuncEntry, FuncError, GoFunc, ParamType } from './exec';
import { byteLength, formatV, goBool, goInt, goString, GoValue, isTrue, sprint, sprintf, sprintln, typeName } from './values';

function fn(params: ParamType[], variadic: boolean, call: (args: GoValue[]) => GoValue): GoFunc {
  return { params, variadic, call };
}

const unreachable = (): GoValue => {
  throw new Error('and/or/call are evaluated by exec');
};

/** text/template's evalArgs: one string stays as is, otherwise Sprint with nil shown as "<no value>". */
function evalArgs(args: GoValue[]): string {
  if (args.length === 1 && args[0].kind === 'string') return args[0].s;
  return sprint(args.map((a) => (a.kind === 'invalid' ? goString('<no value>') : a)));
}

function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) =>
    ({ '\0': '\uFFFD', '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}

function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '\\': out += '\\\\'; continue;
      case "'": out += "\\'"; continue;
      case '"': out += '\\"'; continue;
      case '<': out += '\\u003C'; continue;
      case '>': out += '\\u003E'; continue;
      case '&': out += '\\u0026'; continue;
      case '=': out += '\\u003D'; continue;
    }
    if (cp < 0x20) out += '\\u00' + cp.toString(16).toUpperCase().padStart(2, '0');
    else if (cp < 0x80 || isGoPrint(cp) || (cp >= 0xdc80 && cp <= 0xdcff)) out += ch; // a raw byte decodes as the printable U+FFFD
    else out += '\\u' + cp.toString(16).toUpperCase().padStart(4, '0');
  }
  return out;
}

/** url.QueryEscape. */
function queryEscape(s: string): string {
  let out = '';
  for (const b of goBytes(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function length(item: GoValue): GoValue {
  switch (item.kind) {
    case 'string': return goInt(byteLength(item.s));
    case 'map': return goInt(item.m.size);
    case 'invalid': throw new FuncError('reflect: call of reflect.Value.Type on zero Value');
    default: throw new FuncError(`len of type ${typeName(item)}`);
  }
}

function indexArg(index: GoValue, cap: number): number {
  let x: bigint;
  switch (index.kind) {
    case 'int': case 'uint8': x = index.i; break;
    case 'invalid': throw new FuncError('cannot index slice/array with nil');
    default: throw new FuncError(`cannot index slice/array with type ${typeName(index)}`);
  }
  if (x < 0n || x > BigInt(cap)) throw new FuncError(`index out of range: ${x}`);
  return Number(x);
}

function index([item, ...indexes]: GoValue[]): GoValue {
  if (item.kind === 'invalid') throw new FuncError('index of untyped nil');
  for (const idx of indexes) {
    switch (item.kind) {
      case 'string': {
        const bytes = goBytes(item.s);
        const x = indexArg(idx, bytes.length);
        if (x >= bytes.length) throw new FuncError('reflect: string index out of range');
        item = { kind: 'uint8', i: BigInt(bytes[x]) };
        break;
      }
      case 'map': {
        if (idx.kind === 'invalid') throw new FuncError('value is nil; should be of type string');
        if (idx.kind !== 'string') throw new FuncError(`value has type ${typeName(idx)}; should be string`);
        item = goString(item.m.get(idx.s) ?? '');
        break;
      }
      default:
        throw new FuncError(`can't index item of type ${typeName(item)}`);
    }
  }
  return item;
}

function slice([item, ...indexes]: GoValue[]): GoValue {
  if (item.kind === 'invalid') throw new FuncError('slice of untyped nil');
  if (indexes.length > 3) throw new FuncError(`too many slice indexes: ${indexes.length}`);
  if (item.kind !== 'string') throw new FuncError(`can't slice item of type ${typeName(item)}`);
  if (indexes.length === 3) throw new FuncError('cannot 3-index slice a string');
  const bytes = goBytes(item.s);
  const idx = [0, bytes.length];
  indexes.forEach((v, i) => (idx[i] = indexArg(v, bytes.length)));
  if (idx[0] > idx[1]) throw new FuncError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  return goString(goStringFromBytes(bytes.subarray(idx[0], idx[1])));
}

type BasicKind = 'invalid' | 'bool' | 'complex' | 'int' | 'float' | 'string' | 'uint';

function basicKind(v: GoValue): BasicKind {
  switch (v.kind) {
    case 'bool': return 'bool';
    case 'int': return 'int';
    case 'uint8': return 'uint';
    case 'float64': return 'float';
    case 'complex128': return 'complex';
    case 'string': return 'string';
    default: return 'invalid';
  }
}

const BAD_COMPARISON_TYPE = 'invalid type for comparison';
const incompatible = (a: GoValue, b: GoValue) =>
  new FuncError(`incompatible types for comparison: ${typeName(a)} and ${typeName(b)}`);

const num = (v: GoValue) => (v.kind === 'int' || v.kind === 'uint8' ? v.i : 0n);

function eq([arg1, ...rest]: GoValue[]): GoValue {
  if (rest.length === 0) throw new FuncError('missing argument for comparison');
  const k1 = basicKind(arg1);
  for (const arg of rest) {
    const k2 = basicKind(arg);
    let truth = false;
    if (k1 !== k2) {
      if ((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int')) truth = num(arg1) === num(arg);
      else if (arg1.kind !== 'invalid' && arg.kind !== 'invalid') throw incompatible(arg1, arg);
    } else if (arg1.kind === 'bool' && arg.kind === 'bool') truth = arg1.b === arg.b;
    else if (arg1.kind === 'complex128' && arg.kind === 'complex128') truth = arg1.re === arg.re && arg1.im === arg.im;
    else if (arg1.kind === 'float64' && arg.kind === 'float64') truth = arg1.f === arg.f;
    else if (arg1.kind === 'string' && arg.kind === 'string') truth = arg1.s === arg.s;
    else if (k1 === 'int' || k1 === 'uint') truth = num(arg1) === num(arg);
    else if (arg1.kind === 'invalid' || arg.kind === 'invalid') truth = arg1.kind === arg.kind;
    else throw new FuncError(`non-comparable type ${formatV(arg)}: ${typeName(arg)}`);
    if (truth) return goBool(true);
  }
  return goBool(false);
}

function lessThan(arg1: GoValue, arg2: GoValue): boolean {
  const k1 = basicKind(arg1);
  if (k1 === 'invalid') throw new FuncError(BAD_COMPARISON_TYPE);
  const k2 = basicKind(arg2);
  if (k2 === 'invalid') throw new FuncError(BAD_COMPARISON_TYPE);
  if (k1 !== k2) {
    if ((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int')) return num(arg1) < num(arg2);
    throw incompatible(arg1, arg2);
  }
  if (arg1.kind === 'float64' && arg2.kind === 'float64') return arg1.f < arg2.f;
  if (arg1.kind === 'string' && arg2.kind === 'string') return compareGoStrings(arg1.s, arg2.s) < 0;
  if (k1 === 'int' || k1 === 'uint') return num(arg1) < num(arg2);
  throw new FuncError(BAD_COMPARISON_TYPE);
}

const lessOrEqual = (a: GoValue, b: GoValue) => lessThan(a, b) || (eq([a, b]) as { b: boolean }).b;

const V: ParamType = 'value';
const A: ParamType = 'any';

/** The builtins, keyed by name. */
export const GO_BUILTINS: ReadonlyMap<string, FuncEntry> = new Map(
  Object.entries({
    and: fn([V, V], true, unreachable),
    call: fn([V, V], true, unreachable),
    html: fn([A], true, (args) => goString(htmlEscape(evalArgs(args)))),
    index: fn([V, V], true, index),
    slice: fn([V, V], true, slice),
    js: fn([A], true, (args) => goString(jsEscape(evalArgs(args)))),
    len: fn([V], false, ([item]) => length(item)),
    not: fn([V], false, ([arg]) => goBool(!isTrue(arg))),
    or: fn([V, V], true, unreachable),
    print: fn([A], true, (args) => goString(sprint(args))),
    printf: fn(['string', A], true, ([format, ...args]) => goString(sprintf((format as { s: string }).s, args))),
    println: fn([A], true, (args) => goString(sprintln(args))),
    urlquery: fn([A], true, (args) => goString(queryEscape(evalArgs(args)))),
    eq: fn([V, V], true, eq),
    ge: fn([V, V], false, ([a, b]) => goBool(!lessThan(a, b))),
    gt: fn([V, V], false, ([a, b]) => goBool(!lessOrEqual(a, b))),
    le: fn([V, V], false, ([a, b]) => goBool(lessOrEqual(a, b))),
    lt: fn([V, V], false, ([a, b]) => goBool(lessThan(a, b))),
    ne: fn([V, V], false, ([a, b]) => goBool(!(eq([a, b]) as { b: boolean }).b)),
  }).map(([name, f]) => [name, { fn: f, builtin: true }]),
);
