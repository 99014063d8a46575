/**
 * The lexer of Go's text/template/parse (Go 1.2x), state for state, so that token boundaries,
 * trim markers and lexical error texts agree with Go. Positions are UTF-16 indices into the input;
 * lines are 1-based and counted at the start of each item, as Go does.
 */
import { formatRuneU, goQuote, utf8Length } from './goText';

export const enum ItemType {
  Error,
  Bool,
  Char,
  CharConstant,
  Comment,
  Complex,
  Assign,
  Declare,
  EOF,
  Field,
  Identifier,
  LeftDelim,
  LeftParen,
  Number,
  Pipe,
  RawString,
  RightDelim,
  RightParen,
  Space,
  String,
  Text,
  Variable,
  Keyword, // only delimits the keywords below
  Block,
  Break,
  Continue,
  Dot,
  Define,
  Else,
  End,
  If,
  Nil,
  Range,
  Template,
  With,
}

export interface Item {
  readonly typ: ItemType;
  readonly pos: number;
  readonly val: string;
  readonly line: number;
}

const KEYWORDS: ReadonlyMap<string, ItemType> = new Map([
  ['.', ItemType.Dot],
  ['block', ItemType.Block],
  ['break', ItemType.Break],
  ['continue', ItemType.Continue],
  ['define', ItemType.Define],
  ['else', ItemType.Else],
  ['end', ItemType.End],
  ['if', ItemType.If],
  ['range', ItemType.Range],
  ['nil', ItemType.Nil],
  ['template', ItemType.Template],
  ['with', ItemType.With],
]);

/** item.String() in Go: how a token appears in "unexpected X in Y" errors. */
export function itemString(item: Item): string {
  if (item.typ === ItemType.EOF) return 'EOF';
  if (item.typ === ItemType.Error) return item.val;
  if (item.typ > ItemType.Keyword) return `<${item.val}>`;
  if (utf8Length(item.val) > 10) {
    // Go's %.10q keeps the first 10 runes.
    return `${goQuote(Array.from(item.val).slice(0, 10).join(''))}...`;
  }
  return goQuote(item.val);
}

const LEFT_DELIM = '{{';
const RIGHT_DELIM = '}}';
const LEFT_COMMENT = '/*';
const RIGHT_COMMENT = '*/';
const TRIM_MARKER_LEN = 2;
const EOF = -1;

const isSpace = (r: number) => r === 0x20 || r === 0x09 || r === 0x0d || r === 0x0a;
const ALNUM = /^[\p{L}\p{Nd}_]$/u;
function isAlphaNumeric(r: number): boolean {
  if (r < 0x80) return (r >= 0x30 && r <= 0x39) || (r >= 0x41 && r <= 0x5a) || (r >= 0x61 && r <= 0x7a) || r === 0x5f;
  return ALNUM.test(String.fromCodePoint(r));
}
const isAsciiPrint = (r: number) => r >= 0x20 && r < 0x7f;

function hasLeftTrimMarker(s: string, at: number): boolean {
  return at + 1 < s.length && s[at] === '-' && isSpace(s.charCodeAt(at + 1));
}

function hasRightTrimMarker(s: string, at: number): boolean {
  return at + 1 < s.length && isSpace(s.charCodeAt(at)) && s[at + 1] === '-';
}

function isSpaceChar(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

type StateFn = ((l: Lexer) => StateFn) | null;

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (s.charCodeAt(i) === 0x0a) n++;
  return n;
}

/** Pull lexer: nextItem() runs the state machine until one item is ready, like Go's synchronous lexer. */
export class Lexer {
  private pos = 0;
  private start = 0;
  private atEOF = false;
  private parenDepth = 0;
  private line = 1;
  private startLine = 1;
  private item: Item = { typ: ItemType.EOF, pos: 0, val: 'EOF', line: 1 };
  private insideAction = false;

  constructor(private input: string) {}

  nextItem(): Item {
    this.item = { typ: ItemType.EOF, pos: this.pos, val: 'EOF', line: this.startLine };
    let state: StateFn = this.insideAction ? lexInsideAction : lexText;
    while (state) state = state(this);
    return this.item;
  }

  // --- primitives (Go's next/peek/backup/emit/ignore) ---

  next(): number {
    if (this.pos >= this.input.length) {
      this.atEOF = true;
      return EOF;
    }
    const r = this.input.codePointAt(this.pos)!;
    this.pos += r > 0xffff ? 2 : 1;
    if (r === 0x0a) this.line++;
    return r;
  }

  peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }

  backup(): void {
    if (!this.atEOF && this.pos > 0) {
      const low = this.input.charCodeAt(this.pos - 1);
      const isPair = low >= 0xdc00 && low <= 0xdfff && this.pos >= 2 &&
        this.input.charCodeAt(this.pos - 2) >= 0xd800 && this.input.charCodeAt(this.pos - 2) <= 0xdbff;
      this.pos -= isPair ? 2 : 1;
      if (low === 0x0a) this.line--;
    }
  }

  thisItem(typ: ItemType): Item {
    const item = { typ, pos: this.start, val: this.input.slice(this.start, this.pos), line: this.startLine };
    this.start = this.pos;
    this.startLine = this.line;
    return item;
  }

  emit(typ: ItemType): StateFn {
    return this.emitItem(this.thisItem(typ));
  }

  emitItem(item: Item): StateFn {
    this.item = item;
    return null;
  }

  ignore(): void {
    this.line += countNewlines(this.input, this.start, this.pos);
    this.start = this.pos;
    this.startLine = this.line;
  }

  accept(valid: string): boolean {
    const r = this.next();
    if (r !== EOF && valid.includes(String.fromCodePoint(r))) return true;
    this.backup();
    return false;
  }

  acceptRun(valid: string): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || !valid.includes(String.fromCodePoint(r))) break;
    }
    this.backup();
  }

  errorf(message: string): StateFn {
    this.item = { typ: ItemType.Error, pos: this.start, val: message, line: this.startLine };
    this.start = 0;
    this.pos = 0;
    this.input = '';
    return null;
  }

  atRightDelim(): { delim: boolean; trimSpaces: boolean } {
    if (hasRightTrimMarker(this.input, this.pos) && this.input.startsWith(RIGHT_DELIM, this.pos + TRIM_MARKER_LEN)) {
      return { delim: true, trimSpaces: true };
    }
    if (this.input.startsWith(RIGHT_DELIM, this.pos)) return { delim: true, trimSpaces: false };
    return { delim: false, trimSpaces: false };
  }

  atTerminator(): boolean {
    const r = this.peek();
    if (isSpace(r)) return true;
    switch (r) {
      case EOF: case 0x2e: case 0x2c: case 0x7c: case 0x3a: case 0x29: case 0x28:
        return true;
    }
    return this.input.startsWith(RIGHT_DELIM, this.pos);
  }

  scanNumber(): boolean {
    this.accept('+-');
    let digits = '0123456789_';
    if (this.accept('0')) {
      if (this.accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (this.accept('oO')) digits = '01234567_';
      else if (this.accept('bB')) digits = '01_';
    }
    this.acceptRun(digits);
    if (this.accept('.')) this.acceptRun(digits);
    if (digits.length === 11 && this.accept('eE')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    if (digits.length === 23 && this.accept('pP')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    this.accept('i');
    if (isAlphaNumeric(this.peek())) {
      this.next();
      return false;
    }
    return true;
  }

  // --- state access for the state functions below ---
  get text(): string { return this.input; }
  get position(): number { return this.pos; }
  set position(p: number) { this.pos = p; }
  get itemStart(): number { return this.start; }
  get depth(): number { return this.parenDepth; }
  set depth(d: number) { this.parenDepth = d; }
  addLines(n: number): void { this.line += n; }
  setInsideAction(v: boolean): void { this.insideAction = v; }
}

function lexText(l: Lexer): StateFn {
  const input = l.text;
  const x = input.indexOf(LEFT_DELIM, l.position);
  if (x >= 0) {
    if (x > l.position) {
      l.position = x;
      let trimLength = 0;
      if (hasLeftTrimMarker(input, x + LEFT_DELIM.length)) {
        const text = input.slice(l.itemStart, x);
        trimLength = text.length - text.replace(/[ \t\r\n]+$/, '').length;
      }
      l.position -= trimLength;
      l.addLines(countNewlines(input, l.itemStart, l.position));
      const item = l.thisItem(ItemType.Text);
      l.position += trimLength;
      l.ignore();
      if (item.val.length > 0) return l.emitItem(item);
    }
    return lexLeftDelim;
  }
  l.position = input.length;
  if (l.position > l.itemStart) {
    l.addLines(countNewlines(input, l.itemStart, l.position));
    return l.emit(ItemType.Text);
  }
  return l.emit(ItemType.EOF);
}

function leftTrimLength(s: string, from: number): number {
  let i = from;
  while (i < s.length && isSpaceChar(s[i])) i++;
  return i - from;
}

function lexLeftDelim(l: Lexer): StateFn {
  l.position += LEFT_DELIM.length;
  const trimSpace = hasLeftTrimMarker(l.text, l.position);
  const afterMarker = trimSpace ? TRIM_MARKER_LEN : 0;
  if (l.text.startsWith(LEFT_COMMENT, l.position + afterMarker)) {
    l.position += afterMarker;
    l.ignore();
    return lexComment;
  }
  const item = l.thisItem(ItemType.LeftDelim);
  l.setInsideAction(true);
  l.position += afterMarker;
  l.ignore();
  l.depth = 0;
  return l.emitItem(item);
}

function lexComment(l: Lexer): StateFn {
  l.position += LEFT_COMMENT.length;
  const x = l.text.indexOf(RIGHT_COMMENT, l.position);
  if (x < 0) return l.errorf('unclosed comment');
  l.position = x + RIGHT_COMMENT.length;
  const { delim, trimSpaces } = l.atRightDelim();
  if (!delim) return l.errorf('comment ends before closing delimiter');
  l.addLines(countNewlines(l.text, l.itemStart, l.position));
  l.thisItem(ItemType.Comment); // comments are not emitted: hoop parses without ParseComments
  if (trimSpaces) l.position += TRIM_MARKER_LEN;
  l.position += RIGHT_DELIM.length;
  if (trimSpaces) l.position += leftTrimLength(l.text, l.position);
  l.ignore();
  return lexText;
}

function lexRightDelim(l: Lexer): StateFn {
  const { trimSpaces } = l.atRightDelim();
  if (trimSpaces) {
    l.position += TRIM_MARKER_LEN;
    l.ignore();
  }
  l.position += RIGHT_DELIM.length;
  const item = l.thisItem(ItemType.RightDelim);
  if (trimSpaces) {
    l.position += leftTrimLength(l.text, l.position);
    l.ignore();
  }
  l.setInsideAction(false);
  return l.emitItem(item);
}

function lexInsideAction(l: Lexer): StateFn {
  if (l.atRightDelim().delim) {
    if (l.depth === 0) return lexRightDelim;
    return l.errorf('unclosed left paren');
  }
  const r = l.next();
  if (r === EOF) return l.errorf('unclosed action');
  if (isSpace(r)) {
    l.backup(); // the space may belong to " -}}"
    return lexSpace;
  }
  switch (r) {
    case 0x3d: // =
      return l.emit(ItemType.Assign);
    case 0x3a: // :
      if (l.next() !== 0x3d) return l.errorf('expected :=');
      return l.emit(ItemType.Declare);
    case 0x7c: // |
      return l.emit(ItemType.Pipe);
    case 0x22: // "
      return lexQuote;
    case 0x60: // `
      return lexRawQuote;
    case 0x24: // $
      return lexVariable;
    case 0x27: // '
      return lexChar;
    case 0x2e: { // .
      const following = l.text.charCodeAt(l.position);
      if (l.position < l.text.length && (following < 0x30 || following > 0x39)) return lexField;
      l.backup();
      return lexNumber;
    }
    case 0x28: // (
      l.depth++;
      return l.emit(ItemType.LeftParen);
    case 0x29: // )
      l.depth--;
      if (l.depth < 0) return l.errorf('unexpected right paren');
      return l.emit(ItemType.RightParen);
  }
  if (r === 0x2b || r === 0x2d || (r >= 0x30 && r <= 0x39)) {
    l.backup();
    return lexNumber;
  }
  if (isAlphaNumeric(r)) {
    l.backup();
    return lexIdentifier;
  }
  if (isAsciiPrint(r)) return l.emit(ItemType.Char);
  return l.errorf(`unrecognized character in action: ${formatRuneU(r)}`);
}

function lexSpace(l: Lexer): StateFn {
  let numSpaces = 0;
  while (isSpace(l.peek())) {
    l.next();
    numSpaces++;
  }
  if (hasRightTrimMarker(l.text, l.position - 1) && l.text.startsWith(RIGHT_DELIM, l.position - 1 + TRIM_MARKER_LEN)) {
    l.backup();
    if (numSpaces === 1) return lexRightDelim;
  }
  return l.emit(ItemType.Space);
}

function lexIdentifier(l: Lexer): StateFn {
  for (;;) {
    const r = l.next();
    if (isAlphaNumeric(r)) continue;
    l.backup();
    const word = l.text.slice(l.itemStart, l.position);
    if (!l.atTerminator()) return l.errorf(`bad character ${formatRuneU(r)}`);
    const keyword = KEYWORDS.get(word);
    if (keyword !== undefined && keyword > ItemType.Keyword) return l.emit(keyword);
    if (word[0] === '.') return l.emit(ItemType.Field);
    if (word === 'true' || word === 'false') return l.emit(ItemType.Bool);
    return l.emit(ItemType.Identifier);
  }
}

function lexField(l: Lexer): StateFn {
  return lexFieldOrVariable(l, ItemType.Field);
}

function lexVariable(l: Lexer): StateFn {
  if (l.atTerminator()) return l.emit(ItemType.Variable);
  return lexFieldOrVariable(l, ItemType.Variable);
}

function lexFieldOrVariable(l: Lexer, typ: ItemType): StateFn {
  if (l.atTerminator()) return l.emit(typ === ItemType.Variable ? ItemType.Variable : ItemType.Dot);
  let r: number;
  for (;;) {
    r = l.next();
    if (!isAlphaNumeric(r)) {
      l.backup();
      break;
    }
  }
  if (!l.atTerminator()) return l.errorf(`bad character ${formatRuneU(r)}`);
  return l.emit(typ);
}

function lexQuoted(l: Lexer, quote: number, itemType: ItemType, unterminated: string): StateFn {
  for (;;) {
    let r = l.next();
    if (r === 0x5c) {
      r = l.next();
      if (r !== EOF && r !== 0x0a) continue;
      return l.errorf(unterminated);
    }
    if (r === EOF || r === 0x0a) return l.errorf(unterminated);
    if (r === quote) return l.emit(itemType);
  }
}

function lexChar(l: Lexer): StateFn {
  return lexQuoted(l, 0x27, ItemType.CharConstant, 'unterminated character constant');
}

function lexQuote(l: Lexer): StateFn {
  return lexQuoted(l, 0x22, ItemType.String, 'unterminated quoted string');
}

function lexRawQuote(l: Lexer): StateFn {
  for (;;) {
    const r = l.next();
    if (r === EOF) return l.errorf('unterminated raw quoted string');
    if (r === 0x60) return l.emit(ItemType.RawString);
  }
}

function lexNumber(l: Lexer): StateFn {
  if (!l.scanNumber()) return l.errorf(`bad number syntax: ${goQuote(l.text.slice(l.itemStart, l.position))}`);
  const sign = l.peek();
  if (sign === 0x2b || sign === 0x2d) {
    if (!l.scanNumber() || l.text[l.position - 1] !== 'i') {
      return l.errorf(`bad number syntax: ${goQuote(l.text.slice(l.itemStart, l.position))}`);
    }
    return l.emit(ItemType.Complex);
  }
  return l.emit(ItemType.Number);
}
