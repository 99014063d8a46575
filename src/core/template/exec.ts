/**
 * Execution of a parsed template, following Go's text/template exec.go step by step: the same
 * evaluation order, the same "current node" bookkeeping (s.at) and the same error texts, so that
 * exec errors read `template: :LINE:COL: executing "NAME" at <NODE>: MESSAGE` exactly as in Go.
 */
import { compareGoStrings, goBytesAsText, goQuote, rejoinRawBytes, utf8Length } from './goText';
import { MAX_EXEC_DEPTH, MAX_OUTPUT_BYTES, TooLargeError } from './limits';
import {
  BranchNode, ChainNode, CommandNode, FieldNode, IdentifierNode, ListNode, Node, nodeString, NumberNode, PipeNode,
  TemplateNode, VariableNode,
} from './nodes';
import { TreeSet } from './parser';
import { formatV, goBool, goString, GoValue, INVALID, isTrue, typeName } from './values';

/** Parameter types that matter for Go's argument checks: string, reflect.Value and interface{}. */
export type ParamType = 'string' | 'value' | 'any';

/** The error a Go template function returns; exec wraps it as `error calling NAME: MESSAGE`. */
export class FuncError extends Error {}

export interface GoFunc {
  readonly params: readonly ParamType[];
  /** The last parameter is `...T`. */
  readonly variadic: boolean;
  /** Receives the evaluated arguments, the piped value last. Throws FuncError for Go's error result. */
  call(args: GoValue[]): GoValue;
}

export interface FuncEntry {
  readonly fn: GoFunc;
  readonly builtin: boolean;
}

/** A Go template exec error; `message` is Go's full text. */
export class GoExecError extends Error {}

const PARAM_TYPE_NAMES: Record<ParamType, string> = { string: 'string', value: 'reflect.Value', any: 'interface {}' };

class BreakSignal {}
class ContinueSignal {}
const BREAK = new BreakSignal();
const CONTINUE = new ContinueSignal();

interface Variable {
  readonly name: string;
  value: GoValue;
}

interface ExecContext {
  readonly text: string;
  readonly trees: TreeSet;
  readonly funcs: ReadonlyMap<string, FuncEntry>;
  readonly out: string[];
  /** UTF-8 bytes written to `out`. */
  outBytes: number;
  /** Nested bodies, template calls and parenthesised pipelines being evaluated (see MAX_EXEC_DEPTH). */
  depth: number;
}

/** Template.Execute of the main ("") template with `data` as dot. Returns the output. Throws GoExecError. */
export function executeTemplate(
  text: string,
  trees: TreeSet,
  funcs: ReadonlyMap<string, FuncEntry>,
  data: GoValue,
): string {
  const ctx: ExecContext = { text, trees, funcs, out: [], outBytes: 0, depth: 0 };
  const state = new State(ctx, '', [{ name: '$', value: data }]);
  const root = trees.get('');
  if (!root) return state.errorf(`${goQuote('')} is an incomplete or empty template`);
  state.walk(data, root);
  return goBytesAsText(ctx.out.join(''));
}

/** A function's string result, refused past the size limit, with split characters that rejoined read as text. */
function checkedResult(value: GoValue): GoValue {
  if (value.kind !== 'string') return value;
  if (utf8Length(value.s) > MAX_OUTPUT_BYTES) throw new TooLargeError('the result');
  return goString(rejoinRawBytes(value.s));
}

type RangeBranch = BranchNode & { readonly type: 'range' };

class State {
  private node: Node | null = null;

  constructor(
    private readonly ctx: ExecContext,
    private readonly name: string,
    private vars: Variable[],
  ) {}

  /** Runs one nested evaluation, refusing to go deeper than MAX_EXEC_DEPTH (Go's wording). */
  private nested<T>(evaluate: () => T): T {
    if (this.ctx.depth >= MAX_EXEC_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    this.ctx.depth++;
    try {
      return evaluate();
    } finally {
      this.ctx.depth--;
    }
  }

  private write(text: string): void {
    this.ctx.outBytes += utf8Length(text);
    if (this.ctx.outBytes > MAX_OUTPUT_BYTES) {
      this.errorf(`the rendered runbook is over the ${MAX_OUTPUT_BYTES}-byte limit; check for a loop or a recursive template`);
    }
    this.ctx.out.push(text);
  }

  private at(node: Node): void {
    this.node = node;
  }

  errorf(message: string): never {
    if (!this.node) throw new GoExecError(`template: ${this.name}: ${message}`);
    const pos = this.node.pos;
    const before = this.ctx.text.slice(0, pos);
    const lastNewline = before.lastIndexOf('\n');
    const line = 1 + (before.match(/\n/g)?.length ?? 0);
    const column = utf8Length(before.slice(lastNewline + 1));
    throw new GoExecError(
      `template: :${line}:${column}: executing ${goQuote(this.name)} at <${nodeString(this.node)}>: ${message}`,
    );
  }

  // --- variables ---

  private mark(): number {
    return this.vars.length;
  }

  private pop(mark: number): void {
    this.vars.length = mark;
  }

  private setVar(name: string, value: GoValue): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private setTopVar(n: number, value: GoValue): void {
    this.vars[this.vars.length - n].value = value;
  }

  private varValue(name: string): GoValue {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i].value;
    this.errorf(`undefined variable: ${name}`);
  }

  // --- walking ---

  walk(dot: GoValue, node: Node): void {
    this.at(node);
    switch (node.type) {
      case 'action': {
        const value = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, value);
        return;
      }
      case 'break': throw BREAK;
      case 'continue': throw CONTINUE;
      case 'if': case 'with': this.nested(() => this.walkIfOrWith(dot, node)); return;
      case 'list': for (const n of node.nodes) this.walk(dot, n); return;
      case 'range': this.nested(() => this.walkRange(dot, node as RangeBranch)); return;
      case 'template': this.walkTemplate(dot, node); return;
      case 'text': this.write(node.text); return;
    }
    this.errorf(`unknown node: ${nodeString(node)}`);
  }

  private walkIfOrWith(dot: GoValue, node: BranchNode): void {
    const mark = this.mark();
    try {
      const value = this.evalPipeline(dot, node.pipe);
      if (isTrue(value)) this.walk(node.type === 'with' ? value : dot, node.list);
      else if (node.elseList) this.walk(dot, node.elseList);
    } finally {
      this.pop(mark);
    }
  }

  private walkRange(dot: GoValue, r: RangeBranch): void {
    this.at(r);
    const outerMark = this.mark();
    try {
      const value = this.evalPipeline(dot, r.pipe);
      const mark = this.mark();
      const decl = r.pipe.decl;
      const oneIteration = (index: GoValue, elem: GoValue) => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) this.setVar(decl[0].ident[0], decl.length > 1 ? index : elem);
          else this.setTopVar(1, elem);
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1].ident[0], elem);
          else this.setTopVar(2, index);
        }
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (e !== CONTINUE) throw e;
        } finally {
          this.pop(mark);
        }
      };
      let ran = false;
      switch (value.kind) {
        case 'int': case 'uint8':
          if (decl.length > 1) this.errorf(`can't use ${formatV(value)} to iterate over more than one variable`);
          for (let i = 0n; i < value.i; i++) {
            ran = true;
            oneIteration(INVALID, { kind: value.kind, i });
          }
          break;
        case 'map':
          for (const key of [...value.m.keys()].sort(compareGoStrings)) {
            ran = true;
            oneIteration(goString(key), goString(value.m.get(key)!));
          }
          break;
        case 'invalid':
          break;
        default:
          this.errorf(`range can't iterate over ${formatV(value)}`);
      }
      if (!ran && r.elseList) this.walk(dot, r.elseList);
    } catch (e) {
      if (e !== BREAK) throw e;
    } finally {
      this.pop(outerMark);
    }
  }

  private walkTemplate(dot: GoValue, t: TemplateNode): void {
    this.at(t);
    const root: ListNode | undefined = this.ctx.trees.get(t.name);
    if (!root) this.errorf(`template ${goQuote(t.name)} not defined`);
    this.nested(() => {
      const newDot = this.evalPipeline(dot, t.pipe);
      new State(this.ctx, t.name, [{ name: '$', value: newDot }]).walk(newDot, root);
    });
  }

  private printValue(node: Node, value: GoValue): void {
    this.at(node);
    this.write(value.kind === 'invalid' ? '<no value>' : formatV(value));
  }

  // --- evaluation ---

  private evalPipeline(dot: GoValue, pipe: PipeNode | null): GoValue {
    if (!pipe) return INVALID;
    this.at(pipe);
    let value: GoValue | undefined;
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value);
    const result = value ?? INVALID;
    for (const variable of pipe.decl) {
      if (pipe.isAssign) this.setVar(variable.ident[0], result);
      else this.vars.push({ name: variable.ident[0], value: result });
    }
    return result;
  }

  private notAFunction(args: readonly Node[] | null, final: GoValue | undefined): void {
    if ((args !== null && args.length > 1) || final !== undefined) {
      this.errorf(`can't give argument to non-function ${nodeString(args![0])}`);
    }
  }

  /** `final` is the previous pipeline stage's value (undefined for the first stage: Go's missingVal). */
  private evalCommand(dot: GoValue, cmd: CommandNode, final: GoValue | undefined): GoValue {
    const args = cmd.args;
    const first = args[0];
    switch (first.type) {
      case 'field': return this.evalFieldNode(dot, first, args, final);
      case 'chain': return this.evalChainNode(dot, first, args, final);
      case 'identifier': return this.evalFunction(dot, first, cmd, args, final);
      case 'pipe':
        this.notAFunction(args, final);
        return this.nested(() => this.evalPipeline(dot, first));
      case 'variable': return this.evalVariableNode(first, args, final);
    }
    this.at(first);
    this.notAFunction(args, final);
    switch (first.type) {
      case 'bool': return goBool(first.value);
      case 'dot': return dot;
      case 'nil': return this.errorf('nil is not a command');
      case 'number': return this.idealConstant(first);
      case 'string': return goString(first.text);
    }
    this.errorf(`can't evaluate command ${goQuote(nodeString(first))}`);
  }

  private idealConstant(n: NumberNode): GoValue {
    this.at(n);
    if (n.isComplex) return { kind: 'complex128', re: n.complex.re, im: n.complex.im };
    const isHexInt = /^0[xX]/.test(n.text) && n.text.length > 2 && !/[pP]/.test(n.text);
    if (n.isFloat && !isHexInt && !n.text.startsWith("'") && /[.eEpP]/.test(n.text)) return { kind: 'float64', f: n.float64 };
    if (n.isInt) return { kind: 'int', i: n.int64 };
    if (n.isUint) this.errorf(`${n.text} overflows int`);
    return INVALID;
  }

  private evalFieldNode(dot: GoValue, field: FieldNode, args: readonly Node[] | null, final: GoValue | undefined): GoValue {
    this.at(field);
    return this.evalFieldChain(dot, field.ident, args, final);
  }

  private evalChainNode(dot: GoValue, chain: ChainNode, args: readonly Node[] | null, final: GoValue | undefined): GoValue {
    this.at(chain);
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const receiver = this.evalArg(dot, null, chain.node);
    return this.evalFieldChain(receiver, chain.fields, args, final);
  }

  private evalVariableNode(v: VariableNode, args: readonly Node[] | null, final: GoValue | undefined): GoValue {
    this.at(v);
    const value = this.varValue(v.ident[0]);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(value, v.ident.slice(1), args, final);
  }

  private evalFieldChain(receiver: GoValue, ident: readonly string[], args: readonly Node[] | null, final: GoValue | undefined): GoValue {
    for (let i = 0; i < ident.length - 1; i++) receiver = this.evalField(ident[i], null, undefined, receiver);
    return this.evalField(ident[ident.length - 1], args, final, receiver);
  }

  private evalField(name: string, args: readonly Node[] | null, final: GoValue | undefined, receiver: GoValue): GoValue {
    if (receiver.kind === 'invalid') return INVALID;
    if (receiver.kind === 'map') {
      if ((args !== null && args.length > 1) || final !== undefined) this.errorf(`${name} is not a method but has arguments`);
      const value = receiver.m.get(name);
      return value === undefined ? INVALID : goString(value);
    }
    this.errorf(`can't evaluate field ${name} in type ${typeName(receiver)}`);
  }

  private evalFunction(dot: GoValue, node: IdentifierNode, cmd: Node, args: readonly Node[] | null, final: GoValue | undefined): GoValue {
    this.at(node);
    const entry = this.ctx.funcs.get(node.ident);
    if (!entry) this.errorf(`${goQuote(node.ident)} is not a defined function`);
    return this.evalCall(dot, entry, cmd, node.ident, args, final);
  }

  private evalCall(
    dot: GoValue, { fn, builtin }: FuncEntry, node: Node, name: string, args: readonly Node[] | null, final: GoValue | undefined,
  ): GoValue {
    const argNodes = args ? args.slice(1) : [];
    const numIn = argNodes.length + (final !== undefined ? 1 : 0);
    const numParams = fn.params.length;
    let numFixed = argNodes.length;
    if (fn.variadic) {
      numFixed = numParams - 1;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${numParams - 1} got ${argNodes.length}`);
    } else if (numIn !== numParams) {
      this.errorf(`wrong number of args for ${name}: want ${numParams} got ${numIn}`);
    }

    if (builtin && (name === 'and' || name === 'or')) {
      let v: GoValue = INVALID;
      for (const arg of argNodes) {
        v = this.evalArg(dot, 'value', arg);
        if (isTrue(v) === (name === 'or')) return v;
      }
      if (final !== undefined) v = this.validateType(final, 'value');
      return v;
    }

    const argv: GoValue[] = [];
    let i = 0;
    for (; i < numFixed && i < argNodes.length; i++) argv.push(this.evalArg(dot, fn.params[i], argNodes[i]));
    if (fn.variadic) for (; i < argNodes.length; i++) argv.push(this.evalArg(dot, fn.params[numParams - 1], argNodes[i]));
    if (final !== undefined) {
      const t = fn.variadic && numIn - 1 < numFixed ? fn.params[numIn - 1] : fn.params[numParams - 1];
      argv.push(this.validateType(final, t));
    }

    try {
      if (builtin && name === 'call') return callBuiltin(argNodes.length === 0 ? formatV(final!) : nodeString(argNodes[0]), argv);
      return checkedResult(fn.call(argv));
    } catch (e) {
      if (!(e instanceof FuncError) && !(e instanceof TooLargeError)) throw e;
      this.at(node);
      this.errorf(`error calling ${name}: ${e.message}`);
    }
  }

  private validateType(value: GoValue, typ: ParamType | null): GoValue {
    if (value.kind === 'invalid') {
      if (typ === 'string') this.errorf('invalid value; expected string');
      return value;
    }
    if (typ === 'string' && value.kind !== 'string') {
      this.errorf(`wrong type for value; expected string; got ${typeName(value)}`);
    }
    return value;
  }

  private evalArg(dot: GoValue, typ: ParamType | null, n: Node): GoValue {
    this.at(n);
    switch (n.type) {
      case 'dot': return this.validateType(dot, typ);
      case 'nil':
        if (typ === 'value' || typ === 'any') return INVALID;
        return this.errorf(`cannot assign nil to ${typ ? PARAM_TYPE_NAMES[typ] : '<nil>'}`);
      case 'field': return this.validateType(this.evalFieldNode(dot, n, [n], undefined), typ);
      case 'variable': return this.validateType(this.evalVariableNode(n, null, undefined), typ);
      case 'pipe': return this.validateType(this.nested(() => this.evalPipeline(dot, n)), typ);
      case 'identifier': return this.validateType(this.evalFunction(dot, n, n, null, undefined), typ);
      case 'chain': return this.validateType(this.evalChainNode(dot, n, null, undefined), typ);
    }
    if (typ === 'string') {
      if (n.type === 'string') return goString(n.text);
      this.errorf(`expected string; found ${nodeString(n)}`);
    }
    return this.evalEmptyInterface(dot, n);
  }

  private evalEmptyInterface(dot: GoValue, n: Node): GoValue {
    this.at(n);
    switch (n.type) {
      case 'bool': return goBool(n.value);
      case 'dot': return dot;
      case 'field': return this.evalFieldNode(dot, n, null, undefined);
      case 'identifier': return this.evalFunction(dot, n, n, null, undefined);
      case 'number': return this.idealConstant(n);
      case 'string': return goString(n.text);
      case 'variable': return this.evalVariableNode(n, null, undefined);
      case 'pipe': return this.nested(() => this.evalPipeline(dot, n));
    }
    this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
  }
}

/** Go's `call` builtin: no template value is ever a function here, so it always fails as Go would. */
function callBuiltin(calleeName: string, argv: GoValue[]): never {
  const fn = argv[0];
  if (fn.kind === 'invalid') throw new FuncError('call of nil');
  throw new FuncError(`non-function ${calleeName} of type ${typeName(fn)}`);
}
