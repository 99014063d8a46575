/**
 * Parse-tree nodes of Go's text/template/parse and their String() forms. hoop's parameter discovery
 * runs a regexp over ActionNode.String(), and exec errors quote nodes, so these strings must match Go's.
 */
import { goQuote } from './goText';

interface Base {
  /** UTF-16 index of the node's first character in the template text. */
  readonly pos: number;
}

export interface TextNode extends Base { readonly type: 'text'; readonly text: string }
export interface ActionNode extends Base { readonly type: 'action'; readonly line: number; readonly pipe: PipeNode }
export interface BoolNode extends Base { readonly type: 'bool'; readonly value: boolean }
export interface ChainNode extends Base { readonly type: 'chain'; readonly node: Node; readonly fields: string[] }
export interface CommandNode extends Base { readonly type: 'command'; readonly args: Node[] }
export interface DotNode extends Base { readonly type: 'dot' }
export interface ElseNode extends Base { readonly type: 'else'; readonly line: number }
export interface EndNode extends Base { readonly type: 'end' }
export interface FieldNode extends Base { readonly type: 'field'; readonly ident: string[] }
export interface IdentifierNode extends Base { readonly type: 'identifier'; readonly ident: string }
export interface ListNode extends Base { readonly type: 'list'; readonly nodes: Node[] }
export interface NilNode extends Base { readonly type: 'nil' }
export interface NumberNode extends Base {
  readonly type: 'number';
  readonly text: string;
  readonly isInt: boolean;
  readonly isUint: boolean;
  readonly isFloat: boolean;
  readonly isComplex: boolean;
  readonly int64: bigint;
  readonly float64: number;
  readonly complex: { re: number; im: number };
}
export interface PipeNode extends Base {
  readonly type: 'pipe';
  readonly line: number;
  isAssign: boolean;
  readonly decl: VariableNode[];
  readonly cmds: CommandNode[];
}
export interface BranchNode extends Base {
  readonly type: 'if' | 'range' | 'with';
  readonly line: number;
  readonly pipe: PipeNode;
  readonly list: ListNode;
  readonly elseList: ListNode | null;
}
export interface StringNode extends Base { readonly type: 'string'; readonly quoted: string; readonly text: string }
export interface TemplateNode extends Base { readonly type: 'template'; readonly line: number; readonly name: string; readonly pipe: PipeNode | null }
export interface VariableNode extends Base { readonly type: 'variable'; readonly ident: string[] }
export interface BreakNode extends Base { readonly type: 'break'; readonly line: number }
export interface ContinueNode extends Base { readonly type: 'continue'; readonly line: number }

export type Node =
  | TextNode | ActionNode | BoolNode | ChainNode | CommandNode | DotNode | ElseNode | EndNode | FieldNode
  | IdentifierNode | ListNode | NilNode | NumberNode | PipeNode | BranchNode | StringNode | TemplateNode
  | VariableNode | BreakNode | ContinueNode;

function pipeString(p: PipeNode): string {
  let s = '';
  if (p.decl.length > 0) s = p.decl.map(nodeString).join(', ') + (p.isAssign ? ' = ' : ' := ');
  return s + p.cmds.map(nodeString).join(' | ');
}

/** Go's Node.String(). */
export function nodeString(n: Node): string {
  switch (n.type) {
    case 'text': return n.text;
    case 'action': return `{{${pipeString(n.pipe)}}}`;
    case 'bool': return n.value ? 'true' : 'false';
    case 'chain': {
      const base = n.node.type === 'pipe' ? `(${nodeString(n.node)})` : nodeString(n.node);
      return base + n.fields.map((f) => `.${f}`).join('');
    }
    case 'command':
      return n.args.map((a) => (a.type === 'pipe' ? `(${nodeString(a)})` : nodeString(a))).join(' ');
    case 'dot': return '.';
    case 'else': return '{{else}}';
    case 'end': return '{{end}}';
    case 'field': return n.ident.map((id) => `.${id}`).join('');
    case 'identifier': return n.ident;
    case 'list': return n.nodes.map(nodeString).join('');
    case 'nil': return 'nil';
    case 'number': return n.text;
    case 'pipe': return pipeString(n);
    case 'if': case 'range': case 'with': {
      const elsePart = n.elseList ? `{{else}}${nodeString(n.elseList)}` : '';
      return `{{${n.type} ${pipeString(n.pipe)}}}${nodeString(n.list)}${elsePart}{{end}}`;
    }
    case 'string': return n.quoted;
    case 'template':
      return n.pipe ? `{{template ${goQuote(n.name)} ${pipeString(n.pipe)}}}` : `{{template ${goQuote(n.name)}}}`;
    case 'variable': return n.ident.join('.');
    case 'break': return '{{break}}';
    case 'continue': return '{{continue}}';
  }
}
