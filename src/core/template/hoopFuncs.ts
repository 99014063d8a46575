/**
 * hoop's custom template functions (common/runbooks/template_funcs.go): every parameter is a Go string,
 * the piped value comes last, and the error texts are hoop's.
 */
import { TemplateExecError } from '../errors';
import { FuncEntry, FuncError, GoFunc } from './exec';
import { goRegexpMatch } from './goRegexp';
import { goBytes, goStringFromBytes } from './goText';
import { goString, GoValue, sprintf } from './values';

/** The names hoop registers, for the parser's "function not defined" check. */
export const HOOP_FUNC_NAMES: readonly string[] = [
  'required', 'default', 'pattern', 'placeholder', 'minlength', 'maxlength', 'options', 'description', 'type',
  'order', 'squote', 'dquote', 'quotechar', 'encodeb64', 'decodeb64', 'asenv',
];

const strings = (args: GoValue[]) => args.map((a) => (a.kind === 'string' ? a.s : ''));

function stringFunc(arity: number, body: (...args: string[]) => string): GoFunc {
  return { params: Array(arity).fill('string'), variadic: false, call: (args) => goString(body(...strings(args))) };
}

/** base64.StdEncoding.DecodeString, with Go's CorruptInputError offsets. */
export function decodeBase64Go(s: string): string {
  const src = goBytes(s);
  const out: number[] = [];
  const decodeMap = (c: number): number => {
    if (c >= 65 && c <= 90) return c - 65;
    if (c >= 97 && c <= 122) return c - 71;
    if (c >= 48 && c <= 57) return c + 4;
    if (c === 43) return 62;
    if (c === 47) return 63;
    return -1;
  };
  const corrupt = (at: number) => new FuncError(`illegal base64 data at input byte ${at}`);
  const isNewline = (c: number) => c === 10 || c === 13;
  let si = 0;
  while (si < src.length) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let trailingError: FuncError | null = null;
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return goStringFromBytes(Uint8Array.from(out));
        throw corrupt(si - j); // StdEncoding requires padding
      }
      const c = src[si++];
      const v = decodeMap(c);
      if (v >= 0) {
        dbuf[j] = v;
        continue;
      }
      if (isNewline(c)) {
        j--;
        continue;
      }
      if (c !== 61) throw corrupt(si - 1);
      // Padding: "=" after two symbols must be "==", after three a single "=".
      if (j === 0 || j === 1) throw corrupt(si - 1);
      if (j === 2) {
        while (si < src.length && isNewline(src[si])) si++;
        if (si === src.length) throw corrupt(src.length);
        if (src[si] !== 61) throw corrupt(si - 1);
        si++;
      }
      while (si < src.length && isNewline(src[si])) si++;
      if (si < src.length) trailingError = corrupt(si);
      dlen = j;
      break;
    }
    const val = (dbuf[0] << 18) | (dbuf[1] << 12) | (dbuf[2] << 6) | dbuf[3];
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
    out.push(...bytes.slice(0, dlen - 1));
    if (trailingError) throw trailingError;
  }
  return goStringFromBytes(Uint8Array.from(out));
}

/** hoop's functions for one execution; `asenv` records `envvar:NAME` = base64(value) into `envVars`. */
export function hoopFuncs(envVars: Record<string, string>): Map<string, FuncEntry> {
  const passthrough = stringFunc(2, (_, s) => s);
  const funcs: Record<string, GoFunc> = {
    required: {
      params: ['string', 'string'],
      variadic: false,
      call: (args) => {
        const [msg, s] = strings(args);
        if (s === '') throw new FuncError(sprintf(msg, [])); // hoop calls fmt.Errorf(msg): the message is a format
        return goString(s);
      },
    },
    default: stringFunc(2, (d, s) => (s === '' ? d : s)),
    pattern: {
      params: ['string', 'string'],
      variadic: false,
      call: (args) => {
        const [p, s] = strings(args);
        let matched: boolean;
        try {
          matched = goRegexpMatch(p, s);
        } catch (e) {
          if (e instanceof TemplateExecError) throw new FuncError(e.message);
          throw e;
        }
        if (!matched) throw new FuncError(`pattern didn't match:${p}`);
        return goString(s);
      },
    },
    placeholder: passthrough,
    minlength: passthrough,
    maxlength: passthrough,
    options: { params: ['string'], variadic: true, call: (args) => goString(args.length ? strings(args)[args.length - 1] : '') },
    description: passthrough,
    type: passthrough,
    order: passthrough,
    squote: stringFunc(1, (s) => `'${s}'`),
    dquote: stringFunc(1, (s) => `"${s}"`),
    quotechar: stringFunc(2, (c, s) => c + s + c),
    encodeb64: stringFunc(1, (s) => goBytes(s).toString('base64')),
    decodeb64: { params: ['string'], variadic: false, call: (args) => goString(decodeBase64Go(strings(args)[0])) },
    asenv: stringFunc(2, (key, value) => {
      Object.defineProperty(envVars, `envvar:${key}`, {
        value: goBytes(value).toString('base64'), enumerable: true, writable: true, configurable: true,
      });
      return '';
    }),
  };
  return new Map(Object.entries(funcs).map(([name, fn]) => [name, { fn, builtin: false }]));
}
