/**
 * hoop's runbook templates (common/runbooks/templates.go) in TypeScript: Go text/template with hoop's
 * functions, hoop's parameter discovery and metadata rules, and hoop's exact error texts.
 */
import { TemplateExecError, TemplateParseError } from '../errors';
import { executeTemplate, FuncEntry, GoExecError } from './exec';
import { GO_BUILTINS } from './builtins';
import { fromGoJson, goTrimSpace } from './goText';
import { HOOP_FUNC_NAMES, hoopFuncs } from './hoopFuncs';
import { ActionNode, nodeString } from './nodes';
import { GoParseError, parseTemplate, TreeSet } from './parser';

export { goRegexpMatch } from './goRegexp';
export { isRunbookFile } from '../runbookFile';
export {
  MAX_EXEC_DEPTH as MAX_TEMPLATE_DEPTH, MAX_OUTPUT_BYTES as MAX_TEMPLATE_OUTPUT_BYTES, MAX_PARSE_DEPTH as MAX_TEMPLATE_NESTING,
} from './limits';

export type ParameterType =
  'text' | 'number' | 'tel' | 'time' | 'date' | 'url' | 'email' | 'select' | 'textarea' | 'password' | 'file';

/** Exactly what hoop's gateway lists per parameter (GET /api/runbooks `metadata`). Optional keys are absent (not undefined) when not set. */
export interface ParameterMetadata {
  description: string;
  required: boolean;
  type: ParameterType;
  default?: string;
  placeholder?: string;
  options?: string[];
  order?: number;
  minlength?: string;
  maxlength?: string;
  asenv?: string;
}

export interface RenderResult {
  output: string;
  /** {"envvar:NAME": base64(value)} recorded by `asenv`. */
  envVars: Record<string, string>;
}

export interface RunbookTemplate {
  /** name -> metadata, computed from the LAST top-level occurrence, exactly like hoop. */
  readonly attributes: Record<string, ParameterMetadata>;
  /** name -> the `pattern` regexp of the last occurrence (hoop keeps it out of metadata; the client validates with it). */
  readonly patterns: Record<string, string>;
  /** name -> the message of the last occurrence's `required "…"`, as its author wrote it (hoop keeps it out of metadata too). */
  readonly requiredMessages: Record<string, string>;
  /** hoop's Execute: missing-input check (non-empty default exempts), then render. Throws TemplateExecError with hoop's exact message. */
  render(inputs: Record<string, string> | null): RenderResult;
}

const PARAMETER_TYPES: readonly ParameterType[] = [
  'text', 'number', 'tel', 'time', 'date', 'url', 'email', 'select', 'textarea', 'password', 'file',
];

/** Every function name the parser accepts: Go's builtins and hoop's. */
const FUNC_NAMES: ReadonlySet<string> = new Set([...GO_BUILTINS.keys(), ...HOOP_FUNC_NAMES]);

/** hoop's discovery regexp, applied to each top-level ActionNode's String(). */
const INPUT_KEY = /^\{\{\.[a-zA-Z0-9_]+/;

/** Sets an own enumerable property; "__proto__", the one name an assignment would not store as data, is defined. */
function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** strconv.Atoi. */
function atoi(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = BigInt(s);
  if (n < -(1n << 63n) || n >= 1n << 63n) return undefined;
  return Number(n);
}

/** hoop's parseNode: metadata from the normalised action text, split on " | " and spaces. */
function metadataFromAction(action: string): ParameterMetadata {
  const specs: ParameterMetadata = { type: 'text', required: false, description: '' };
  const body = action.slice(2, -2);
  for (const section of body.split(' | ')) {
    // hoop splits the section on spaces and joins all but the first word again: the text after the first space.
    const space = section.indexOf(' ');
    const fnName = space < 0 ? section : section.slice(0, space);
    const fnVal = space < 0 ? '' : goTrimSpace(section.slice(space + 1)).replaceAll('"', '');
    switch (fnName) {
      case 'type':
        if ((PARAMETER_TYPES as readonly string[]).includes(fnVal)) specs.type = fnVal as ParameterType;
        break;
      case 'required':
        specs.required = true;
        break;
      case 'description': case 'default': case 'placeholder': case 'minlength': case 'maxlength': case 'asenv':
        specs[fnName] = fnVal;
        break;
      case 'options':
        specs.options = fnVal.split(' ');
        break;
      case 'order': {
        const order = atoi(fnVal);
        if (order !== undefined) specs.order = order;
        break;
      }
    }
  }
  return specs;
}

/** The string argument of the action's last `name "…"` command (`pattern`, `required`), if any. */
function stringArgumentOf(action: ActionNode, name: string): string | undefined {
  let value: string | undefined;
  for (const cmd of action.pipe.cmds) {
    const [fn, arg] = cmd.args;
    if (fn.type === 'identifier' && fn.ident === name && arg?.type === 'string') value = arg.text;
  }
  return value;
}

class ParsedRunbook implements RunbookTemplate {
  readonly attributes: Record<string, ParameterMetadata> = {};
  readonly patterns: Record<string, string> = {};
  readonly requiredMessages: Record<string, string> = {};
  /** Discovered names in first-seen order (hoop lists missing ones in Go's random map order). */
  private readonly names: string[] = [];

  constructor(private readonly text: string, private readonly trees: TreeSet) {
    for (const node of trees.get('')?.nodes ?? []) {
      if (node.type !== 'action') continue;
      const normalised = nodeString(node);
      const match = INPUT_KEY.exec(normalised);
      if (!match) throw new TemplateParseError('inconsistent findings, findings=0, val=[]');
      const name = match[0].slice(3);
      if (!Object.prototype.hasOwnProperty.call(this.attributes, name)) this.names.push(name);
      setOwn(this.attributes, name, metadataFromAction(normalised));
      for (const [fn, record] of [['pattern', this.patterns], ['required', this.requiredMessages]] as const) {
        const value = stringArgumentOf(node, fn);
        if (value === undefined) delete record[name];
        else setOwn(record, name, value);
      }
    }
  }

  render(inputs: Record<string, string> | null): RenderResult {
    const data = new Map<string, string>();
    for (const key of Object.keys(inputs ?? {})) {
      const value: unknown = inputs![key];
      data.set(fromGoJson(key), typeof value === 'string' ? fromGoJson(value) : ''); // a JSON null decodes to "" in Go
    }
    const missing: string[] = [];
    for (const name of this.names) {
      if (data.has(name)) continue;
      if (this.attributes[name].default) data.set(name, '');
      else missing.push(name);
    }
    if (missing.length > 0) throw new TemplateExecError(`the following inputs are missing [${missing.join(' ')}]`);

    const envVars: Record<string, string> = {};
    const funcs = new Map<string, FuncEntry>([...GO_BUILTINS, ...hoopFuncs(envVars)]);
    try {
      const output = executeTemplate(this.text, this.trees, funcs, { kind: 'map', m: data });
      return { output, envVars };
    } catch (e) {
      if (e instanceof GoExecError) throw new TemplateExecError(e.message);
      throw e;
    }
  }
}

/** hoop's Parse. Throws TemplateParseError with hoop's exact message (Go parse errors, `inconsistent findings, findings=0, val=[]`, …). */
export function parseRunbookTemplate(text: string): RunbookTemplate {
  let trees: TreeSet;
  try {
    trees = parseTemplate(text, FUNC_NAMES);
  } catch (e) {
    if (e instanceof GoParseError) throw new TemplateParseError(e.message);
    throw e;
  }
  return new ParsedRunbook(text, trees);
}

