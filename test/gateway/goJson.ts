/**
 * Just enough of Go's encoding/json + gin binding + go-playground/validator to answer bad
 * request bodies with the same 400 text as hoop (§1.2, §1.3 row 1), Go's strict base64, and
 * json.Marshal of a string map (session labels).
 */

export type GoFieldType = 'string' | '*string' | 'map[string]string' | '[]string' | 'map[string]interface {}';

export interface GoStruct {
  /** e.g. `openapi.RunbookExec`; the part after the dot names fields in messages. */
  typeName: string;
  /** JSON name → Go type, in declaration order. */
  fields: Record<string, GoFieldType>;
  /** JSON name → Go field name, for `binding:"required"` fields. */
  required: Record<string, string>;
}

export type BindResult = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

/** gin's ShouldBindJSON: decode (type errors), then validate required fields. */
export function bindJson(raw: Buffer, spec: GoStruct): BindResult {
  const text = raw.toString('utf8');
  if (text.trim() === '') {
    return { ok: false, message: 'EOF' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, message: syntaxErrorMessage(text) };
  }
  if (parsed === null) {
    parsed = {};
  }
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ok: false, message: `json: cannot unmarshal ${jsonKind(parsed)} into Go value of type ${spec.typeName}` };
  }
  const structName = spec.typeName.split('.').pop();
  const value: Record<string, unknown> = {};
  for (const [key, element] of Object.entries(parsed as Record<string, unknown>)) {
    // Go matches keys exactly first, then case-insensitively; unknown keys are ignored.
    const field = key in spec.fields ? key : Object.keys(spec.fields).find((f) => f.toLowerCase() === key.toLowerCase());
    if (!field) {
      continue;
    }
    const decoded = decodeField(element, spec.fields[field]);
    if (decoded.error) {
      return { ok: false, message: `json: cannot unmarshal ${decoded.error.kind} into Go struct field ${structName}.${field} of type ${decoded.error.goType}` };
    }
    value[field] = decoded.value;
  }
  const missing = Object.entries(spec.required)
    .filter(([json]) => typeof value[json] !== 'string' || value[json] === '')
    .map(([, goName]) => `Key: '${structName}.${goName}' Error:Field validation for '${goName}' failed on the 'required' tag`);
  if (missing.length > 0) {
    return { ok: false, message: missing.join('\n') };
  }
  return { ok: true, value };
}

interface Decoded {
  value?: unknown;
  error?: { kind: string; goType: string };
}

/** JSON null leaves Go's zero value; a kind mismatch is an UnmarshalTypeError. */
function decodeField(element: unknown, type: GoFieldType): Decoded {
  if (element === null) {
    return { value: undefined };
  }
  switch (type) {
    case 'string':
    case '*string':
      return typeof element === 'string' ? { value: element } : mismatch(element, 'string');
    case 'map[string]string':
    case 'map[string]interface {}': {
      if (typeof element !== 'object' || Array.isArray(element)) {
        return mismatch(element, type);
      }
      const map: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(element as Record<string, unknown>)) {
        if (type === 'map[string]string' && v !== null && typeof v !== 'string') {
          return mismatch(v, 'string');
        }
        map[k] = type === 'map[string]string' ? (v ?? '') : v;
      }
      return { value: map };
    }
    case '[]string': {
      if (!Array.isArray(element)) {
        return mismatch(element, type);
      }
      const bad = element.find((v) => v !== null && typeof v !== 'string');
      return bad !== undefined ? mismatch(bad, 'string') : { value: element.map((v) => v ?? '') };
    }
  }
}

function mismatch(element: unknown, goType: string): Decoded {
  return { error: { kind: jsonKind(element), goType } };
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  return 'object';
}

/** Approximates Go's json.SyntaxError text: the first character that cannot start a value, or a truncated document. */
function syntaxErrorMessage(text: string): string {
  const first = text.trimStart()[0];
  if (first !== undefined && !/[{["tfn\-0-9]/.test(first)) {
    return `invalid character '${first}' looking for beginning of value`;
  }
  return 'unexpected EOF';
}

const B64 = /[A-Za-z0-9+/]/;

/** Go's base64.StdEncoding.DecodeString: padded standard alphabet; \r and \n are skipped. */
export function decodeStdBase64(input: string): Buffer | { error: string } {
  const clean = input.replace(/[\r\n]/g, '');
  const fail = (at: number) => ({ error: `illegal base64 data at input byte ${at}` });
  for (let i = 0; i < clean.length; i++) {
    const c = clean[i];
    if (B64.test(c)) {
      continue;
    }
    // '=' is only valid as padding at the end of the last 4-byte quantum.
    const quantumStart = i - (i % 4);
    const isPadding = c === '=' && i >= quantumStart + 2 && clean.length % 4 === 0 && /^=+$/.test(clean.slice(i)) && i >= clean.length - 2;
    if (!isPadding) {
      return fail(i);
    }
    break;
  }
  if (clean.length % 4 !== 0) {
    return fail(clean.length - (clean.length % 4));
  }
  return Buffer.from(clean, 'base64');
}

/** Go's json.Marshal of a map[string]string: keys in byte order, HTML-sensitive characters escaped. */
export function marshalStringMap(map: Record<string, string> | null): string {
  if (map === null) {
    return 'null';
  }
  const keys = Object.keys(map).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const text = `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(map[k])}`).join(',')}}`;
  return text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
