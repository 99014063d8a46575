/**
 * The parser of Go's text/template/parse, ported structure for structure (three-token lookahead,
 * the same backup rules, the same error texts and line attribution) so that every parse error
 * reads exactly as Go's `template: NAME:LINE: …`.
 */
import { goQuote, goTrimSpace, goUnquote, INVALID_SYNTAX, unquoteChar } from './goText';
import { Item, ItemType, itemString, Lexer } from './lexer';
import { MAX_PARSE_DEPTH } from './limits';
import {
  BranchNode, CommandNode, ElseNode, EndNode, FieldNode, ListNode, Node, nodeString, NumberNode, PipeNode,
  TemplateNode, VariableNode,
} from './nodes';

/** A Go template parse error; `message` is Go's full text. */
export class GoParseError extends Error {}

export type TreeSet = Map<string, ListNode>;

/** parse.Parse(name="", text, funcs): the named trees of the template, "" being the main one. */
export function parseTemplate(text: string, funcs: ReadonlySet<string>): TreeSet {
  const trees = new Map<string, Tree>();
  const tree = new Tree('', funcs, new Lexer(text), trees, { depth: 0 });
  tree.parse();
  tree.add();
  const out: TreeSet = new Map();
  for (const [name, t] of trees) out.set(name, t.root!);
  return out;
}

function isEmptyTree(n: Node | null): boolean {
  if (n === null) return true;
  switch (n.type) {
    case 'list': return n.nodes.every(isEmptyTree);
    case 'text': return goTrimSpace(n.text) === '';
    default: return false;
  }
}

class Tree {
  root: ListNode | null = null;
  private readonly token: Item[] = [];
  private peekCount = 0;
  private vars: string[] = ['$'];
  private actionLine = 0;
  private rangeDepth = 0;

  constructor(
    private name: string,
    private readonly funcs: ReadonlySet<string>,
    private readonly lex: Lexer,
    private readonly treeSet: Map<string, Tree>,
    /** Nested bodies and parenthesised pipelines open in the whole text (see MAX_PARSE_DEPTH). */
    private readonly nesting: { depth: number },
  ) {}

  /** Parses one nested construct, refusing to go deeper than MAX_PARSE_DEPTH with Go's parenthesis-limit text. */
  private nested<T>(parse: () => T): T {
    if (this.nesting.depth >= MAX_PARSE_DEPTH) this.errorf('max expression depth exceeded');
    this.nesting.depth++;
    try {
      return parse();
    } finally {
      this.nesting.depth--;
    }
  }

  // --- token buffer, exactly as Go's Tree ---

  private next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.lex.nextItem();
    return this.token[this.peekCount];
  }

  private backup(): void {
    this.peekCount++;
  }

  private backup2(t1: Item): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }

  private backup3(t2: Item, t1: Item): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }

  private peek(): Item {
    if (this.peekCount > 0) return this.token[this.peekCount - 1];
    this.peekCount = 1;
    this.token[0] = this.lex.nextItem();
    return this.token[0];
  }

  private nextNonSpace(): Item {
    let token: Item;
    do token = this.next(); while (token.typ === ItemType.Space);
    return token;
  }

  private peekNonSpace(): Item {
    const token = this.nextNonSpace();
    this.backup();
    return token;
  }

  // --- errors ---

  private errorf(message: string): never {
    this.root = null;
    throw new GoParseError(`template: :${this.token[0]?.line ?? 1}: ${message}`);
  }

  private expect(expected: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.typ !== expected) this.unexpected(token, context);
    return token;
  }

  private unexpected(token: Item, context: string): never {
    if (token.typ === ItemType.Error) {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at :${this.actionLine}`;
        if (token.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${itemString(token)}${extra}`);
    }
    this.errorf(`unexpected ${itemString(token)} in ${context}`);
  }

  private unquote(literal: string): string {
    try {
      return goUnquote(literal);
    } catch {
      this.errorf(INVALID_SYNTAX);
    }
  }

  // --- trees ---

  add(): void {
    const existing = this.treeSet.get(this.name);
    if (!existing || isEmptyTree(existing.root)) {
      this.treeSet.set(this.name, this);
      return;
    }
    if (!isEmptyTree(this.root)) this.errorf(`template: multiple definition of template ${goQuote(this.name)}`);
  }

  private subTree(name: string): Tree {
    return new Tree(name, this.funcs, this.lex, this.treeSet, this.nesting);
  }

  parse(): void {
    this.root = this.newList(this.peek().pos);
    while (this.peek().typ !== ItemType.EOF) {
      if (this.peek().typ === ItemType.LeftDelim) {
        const delim = this.next();
        if (this.nextNonSpace().typ === ItemType.Define) {
          this.subTree('definition').parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') this.errorf(`unexpected ${nodeString(n)}`);
      this.root.nodes.push(n);
    }
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const token = this.nextNonSpace();
    if (token.typ !== ItemType.String && token.typ !== ItemType.RawString) this.unexpected(token, context);
    this.name = this.unquote(token.val);
    this.expect(ItemType.RightDelim, context);
    const [list, end] = this.itemList();
    this.root = list;
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.add();
  }

  private itemList(): [ListNode, ElseNode | EndNode] {
    const list = this.newList(this.peekNonSpace().pos);
    while (this.peekNonSpace().typ !== ItemType.EOF) {
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') return [list, n];
      list.nodes.push(n);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case ItemType.Text:
        return { type: 'text', pos: token.pos, text: token.val };
      case ItemType.LeftDelim:
        this.actionLine = token.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      default:
        this.unexpected(token, 'input');
    }
  }

  private action(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case ItemType.Block: return this.nested(() => this.blockControl());
      case ItemType.Break: return this.loopControl('break', token);
      case ItemType.Continue: return this.loopControl('continue', token);
      case ItemType.Else: return this.elseControl();
      case ItemType.End: return this.endControl();
      case ItemType.If: return this.nested(() => this.branchControl('if'));
      case ItemType.Range: return this.nested(() => this.branchControl('range'));
      case ItemType.Template: return this.templateControl();
      case ItemType.With: return this.nested(() => this.branchControl('with'));
    }
    this.backup();
    const first = this.peek();
    return { type: 'action', pos: first.pos, line: first.line, pipe: this.pipeline('command', ItemType.RightDelim) };
  }

  private loopControl(kind: 'break' | 'continue', keyword: Item): Node {
    const token = this.nextNonSpace();
    if (token.typ !== ItemType.RightDelim) this.unexpected(token, `{{${kind}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${kind}}} outside {{range}}`);
    return { type: kind, pos: keyword.pos, line: keyword.line };
  }

  private pipeline(context: string, end: ItemType): PipeNode {
    const first = this.peekNonSpace();
    const pipe: PipeNode = { type: 'pipe', pos: first.pos, line: first.line, isAssign: false, decl: [], cmds: [] };
    for (;;) {
      const v = this.peekNonSpace();
      if (v.typ !== ItemType.Variable) break;
      this.next();
      // "$x foo" needs three tokens of lookahead to tell an argument from a declaration.
      const tokenAfterVariable = this.peek();
      const following = this.peekNonSpace();
      if (following.typ === ItemType.Assign || following.typ === ItemType.Declare) {
        pipe.isAssign = following.typ === ItemType.Assign;
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.vars.push(v.val);
        break;
      }
      if (following.typ === ItemType.Char && following.val === ',') {
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const t = this.peekNonSpace().typ;
          if (t === ItemType.Variable || t === ItemType.RightDelim || t === ItemType.RightParen) continue;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      }
      if (tokenAfterVariable.typ === ItemType.Space) this.backup3(v, tokenAfterVariable);
      else this.backup2(v);
      break;
    }
    for (;;) {
      const token = this.nextNonSpace();
      switch (token.typ) {
        case end:
          this.checkPipeline(pipe, context);
          return pipe;
        case ItemType.Bool: case ItemType.CharConstant: case ItemType.Complex: case ItemType.Dot:
        case ItemType.Field: case ItemType.Identifier: case ItemType.Number: case ItemType.Nil:
        case ItemType.RawString: case ItemType.String: case ItemType.Variable: case ItemType.LeftParen:
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(token, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      switch (c.args[0].type) {
        case 'bool': case 'dot': case 'nil': case 'number': case 'string':
          this.errorf(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  private branchControl(context: 'if' | 'range' | 'with'): BranchNode {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, ItemType.RightDelim);
      if (context === 'range') this.rangeDepth++;
      const [list, next] = this.itemList();
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | null = null;
      if (next.type === 'else') {
        // "{{else if …}}" / "{{else with …}}" nest a branch that shares the outer {{end}}.
        if ((context === 'if' && this.peek().typ === ItemType.If) || (context === 'with' && this.peek().typ === ItemType.With)) {
          this.next();
          elseList = this.newList(next.pos);
          elseList.nodes.push(this.nested(() => this.branchControl(context)));
        } else {
          const [list2, end] = this.itemList();
          elseList = list2;
          if (end.type !== 'end') this.errorf(`expected end; found ${nodeString(end)}`);
        }
      }
      return { type: context, pos: pipe.pos, line: pipe.line, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  private endControl(): EndNode {
    return { type: 'end', pos: this.expect(ItemType.RightDelim, 'end').pos };
  }

  private elseControl(): ElseNode {
    const peek = this.peekNonSpace();
    if (peek.typ === ItemType.If || peek.typ === ItemType.With) return { type: 'else', pos: peek.pos, line: peek.line };
    const token = this.expect(ItemType.RightDelim, 'else');
    return { type: 'else', pos: token.pos, line: token.line };
  }

  private blockControl(): TemplateNode {
    const context = 'block clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    const pipe = this.pipeline(context, ItemType.RightDelim);
    const block = this.subTree(name);
    const [list, end] = block.itemList();
    block.root = list;
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    block.add();
    return { type: 'template', pos: token.pos, line: token.line, name, pipe };
  }

  private templateControl(): TemplateNode {
    const context = 'template clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().typ !== ItemType.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, ItemType.RightDelim);
    }
    return { type: 'template', pos: token.pos, line: token.line, name, pipe };
  }

  private parseTemplateName(token: Item, context: string): string {
    if (token.typ === ItemType.String || token.typ === ItemType.RawString) return this.unquote(token.val);
    this.unexpected(token, context);
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const token = this.next();
      if (token.typ === ItemType.Space) continue;
      if (token.typ === ItemType.RightDelim || token.typ === ItemType.RightParen) this.backup();
      else if (token.typ !== ItemType.Pipe) this.unexpected(token, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): Node | null {
    const node = this.term();
    if (!node) return null;
    if (this.peek().typ !== ItemType.Field) return node;
    const chainPos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().typ === ItemType.Field) fields.push(this.next().val.slice(1));
    switch (node.type) {
      case 'field':
        return { type: 'field', pos: chainPos, ident: [...node.ident, ...fields] };
      case 'variable':
        return this.newVariable(chainPos, [...node.ident, ...fields].join('.'));
      case 'bool': case 'string': case 'number': case 'nil': case 'dot':
        this.errorf(`unexpected . after term ${goQuote(nodeString(node))}`);
    }
    return { type: 'chain', pos: chainPos, node, fields };
  }

  private term(): Node | null {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case ItemType.Identifier:
        if (!this.funcs.has(token.val)) this.errorf(`function ${goQuote(token.val)} not defined`);
        return { type: 'identifier', pos: token.pos, ident: token.val };
      case ItemType.Dot:
        return { type: 'dot', pos: token.pos };
      case ItemType.Nil:
        return { type: 'nil', pos: token.pos };
      case ItemType.Variable:
        return this.useVar(token.pos, token.val);
      case ItemType.Field:
        return this.newField(token.pos, token.val);
      case ItemType.Bool:
        return { type: 'bool', pos: token.pos, value: token.val === 'true' };
      case ItemType.CharConstant: case ItemType.Complex: case ItemType.Number:
        return this.newNumber(token);
      case ItemType.LeftParen:
        return this.nested(() => this.pipeline('parenthesized pipeline', ItemType.RightParen));
      case ItemType.String: case ItemType.RawString:
        return { type: 'string', pos: token.pos, quoted: token.val, text: this.unquote(token.val) };
    }
    this.backup();
    return null;
  }

  private useVar(pos: number, name: string): VariableNode {
    const v = this.newVariable(pos, name);
    if (!this.vars.includes(v.ident[0])) this.errorf(`undefined variable ${goQuote(v.ident[0])}`);
    return v;
  }

  private newVariable(pos: number, name: string): VariableNode {
    return { type: 'variable', pos, ident: name.split('.') };
  }

  private newField(pos: number, name: string): FieldNode {
    return { type: 'field', pos, ident: name.slice(1).split('.') };
  }

  private newList(pos: number): ListNode {
    return { type: 'list', pos, nodes: [] };
  }

  private newNumber(token: Item): NumberNode {
    try {
      return parseNumber(token);
    } catch (e) {
      this.errorf((e as Error).message);
    }
  }
}

// --- numbers (parse.newNumber with strconv's rules) ---

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/** strconv's underscoreOK: underscores only between digits (or after a base prefix). */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s[0] === '-' || s[0] === '+') s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'boxBOX'.includes(s[1])) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i];
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** strconv.ParseUint(s, 0, 64) / ParseInt(s, 0, 64); null on any error. */
function parseGoInteger(text: string, signed: boolean): bigint | null {
  let s = text;
  let negative = false;
  if (signed && (s[0] === '+' || s[0] === '-')) {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '') return null;
  let base = 10;
  let digits = s;
  if (s.length > 1 && s[0] === '0') {
    const p = s[1].toLowerCase();
    if (p === 'x' || p === 'o' || p === 'b') {
      base = p === 'x' ? 16 : p === 'o' ? 8 : 2;
      digits = s.slice(2);
    } else {
      base = 8;
      digits = s.slice(1);
    }
  }
  if (digits.includes('_')) {
    if (!underscoreOK(s)) return null;
    digits = digits.replace(/_/g, '');
  }
  const valid = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[base as 2 | 8 | 10 | 16];
  if (!valid.test(digits)) return null;
  const prefix = base === 16 ? '0x' : base === 8 ? '0o' : base === 2 ? '0b' : '';
  let value = BigInt(prefix + digits);
  if (negative) value = -value;
  if (signed ? value < INT64_MIN || value > INT64_MAX : value > UINT64_MAX) return null;
  return value;
}

/** strconv.ParseFloat(s, 64) for the forms the lexer can produce; null on syntax or range error. */
function parseGoFloat(text: string): number | null {
  let s = text;
  if (s.includes('_')) {
    if (!underscoreOK(s)) return null;
    s = s.replace(/_/g, '');
  }
  let value: number;
  const hexMatch = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(s);
  if (hexMatch) {
    const [, sign, intPart, fracPart = '', exp] = hexMatch;
    if (intPart === '' && fracPart === '') return null;
    const mantissa = parseInt((intPart || '0') + fracPart, 16);
    value = mantissa * Math.pow(2, Number(exp) - 4 * fracPart.length);
    if (sign === '-') value = -value;
  } else if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
    value = Number(s);
  } else {
    return null;
  }
  return Number.isFinite(value) ? value : null;
}

function parseComplexPair(text: string): { re: number; im: number } | null {
  // "1+2i": split at the sign that starts the imaginary part (not an exponent's sign).
  for (let i = text.length - 2; i > 0; i--) {
    if ((text[i] === '+' || text[i] === '-') && !/[eEpP]/.test(text[i - 1])) {
      const re = parseGoFloat(text.slice(0, i));
      const im = parseGoFloat(text.slice(i, -1));
      return re === null || im === null ? null : { re, im };
    }
  }
  return null;
}

function parseNumber(token: Item): NumberNode {
  const text = token.val;
  const n = {
    type: 'number' as const, pos: token.pos, text,
    isInt: false, isUint: false, isFloat: false, isComplex: false,
    int64: 0n, float64: 0, complex: { re: 0, im: 0 },
  };
  const fromComplex = (c: { re: number; im: number }): NumberNode => {
    n.isComplex = true;
    n.complex = c;
    if (c.im === 0) {
      n.isFloat = true;
      n.float64 = c.re;
      n.isInt = Number.isInteger(c.re) && c.re >= -(2 ** 63) && c.re < 2 ** 63;
      if (n.isInt) n.int64 = BigInt(c.re);
      n.isUint = Number.isInteger(c.re) && c.re >= 0 && c.re < 2 ** 64;
    }
    return n;
  };
  if (token.typ === ItemType.CharConstant) {
    const { value, next } = unquoteChar(text, 1, "'");
    if (text.slice(next) !== "'") throw new Error(`malformed character constant: ${text}`);
    return { ...n, isInt: true, isUint: true, isFloat: true, int64: BigInt(value), float64: value };
  }
  if (token.typ === ItemType.Complex) {
    const c = parseComplexPair(text);
    if (!c) throw new Error(`expected integer`);
    return fromComplex(c);
  }
  if (text.endsWith('i')) {
    const f = parseGoFloat(text.slice(0, -1));
    if (f !== null) return fromComplex({ re: 0, im: f });
  }
  const u = parseGoInteger(text, false);
  if (u !== null) n.isUint = true;
  const i = parseGoInteger(text, true);
  if (i !== null) {
    n.isInt = true;
    n.int64 = i;
    if (i === 0n) n.isUint = true;
  }
  if (n.isInt) {
    n.isFloat = true;
    n.float64 = Number(n.int64);
  } else if (u !== null) {
    n.isFloat = true;
    n.float64 = Number(u);
  } else {
    const f = parseGoFloat(text);
    if (f !== null) {
      if (!/[.eEpP]/.test(text)) throw new Error(`integer overflow: ${goQuote(text)}`);
      n.isFloat = true;
      n.float64 = f;
      if (Number.isInteger(f) && f >= -(2 ** 63) && f < 2 ** 63) {
        n.isInt = true;
        n.int64 = BigInt(f);
      }
      if (Number.isInteger(f) && f >= 0 && f < 2 ** 64) n.isUint = true;
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat) throw new Error(`illegal number syntax: ${goQuote(text)}`);
  return n;
}
