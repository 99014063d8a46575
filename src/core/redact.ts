/** What a masked secret looks like in text shown to the user. */
export const secretMask = '••••••';

/**
 * Secrets shorter than this many characters are never masked. Masking every `a` of a
 * one-character secret (or every `ab` of a two-character one) would mangle the output and show
 * the secret to anyone who looks at where the masks fall, so masking would reveal what it hides.
 * The UI warns when such a value is given (see {@link unmaskableSecrets}).
 */
export const minimumMaskedLength = 3;

/**
 * Base64 of a secret in the middle of a longer encoded text (`echo -n "user:$PASSWORD" | base64`)
 * shares only the characters that the secret's bytes alone determine. Those are masked when there
 * are at least this many: six characters are 36 bits, so a chance match is about 1 in 7·10¹⁰.
 */
const minimumBase64CoreLength = 6;

/** The values of `values` that are too short to be masked: the UI warns about them when they are entered. */
export function unmaskableSecrets(values: Iterable<string>): string[] {
  return [...values].filter((value) => value !== '' && [...value].length < minimumMaskedLength);
}

/**
 * Every form in which text shown to a user can contain `value`: the value itself; its base64
 * (standard and URL-safe, with and without padding, of the value and of the value with the
 * trailing newline `echo "$S" | base64` adds, wrapped at 76 and 64 columns like `base64` and
 * `openssl base64`, and the part fixed by the value's bytes when it sits inside a longer encoded
 * text); its percent-encoding (as `encodeURIComponent`, RFC 3986, Python's `quote`, and form
 * encoding with `+` for spaces, each with upper- and lower-case hex); its escaping inside a JSON
 * string (JavaScript, ASCII-only as Python and .NET write it, Go's HTML-safe, and PHP's escaped slashes); bash's
 * `printf %q`; and its UTF-8 bytes in hex (also as `xxd -p` wraps them). Empty for values shorter
 * than {@link minimumMaskedLength}.
 */
export function secretForms(value: string): string[] {
  if ([...value].length < minimumMaskedLength) {
    return [];
  }
  const bytes = Buffer.from(value, 'utf8');
  const hex = bytes.toString('hex');
  return [
    ...new Set([
      value,
      ...base64Forms(bytes),
      ...base64Forms(Buffer.concat([bytes, Buffer.from('\n')])),
      ...base64Cores(bytes),
      ...percentEncodings(value),
      ...jsonEscapings(value),
      shellQuoted(value),
      hex,
      hex.toUpperCase(),
      wrapLines(hex, 60),
    ]),
  ];
}

/** Masks secret values, in every form of {@link secretForms}, in text shown to the user. */
export class SecretMasker {
  private readonly automaton: NeedleAutomaton;

  constructor(values: Iterable<string>) {
    this.automaton = new NeedleAutomaton([...values].flatMap(secretForms));
  }

  /** `text` with each stretch that is, or overlaps, a form of a secret replaced by {@link secretMask}. */
  mask(text: string): string {
    const stream = this.stream();
    return stream.push(text) + stream.flush();
  }

  /** A masker for text that arrives in chunks, where a secret can be split between chunks. */
  stream(): StreamingMasker {
    return new StreamingMasker(this.automaton);
  }
}

/**
 * Masks a text that arrives in chunks. Concatenated, what `push` and `flush` return equals
 * `SecretMasker.mask` of the concatenated chunks. `push` holds back at most the longest form's
 * length minus one characters: the end of the chunk that may begin a secret. Time is linear in the
 * text: one pass over each character, whatever the number of secrets.
 */
export class StreamingMasker {
  private state = 0;
  /** Characters received and not yet returned (possibly the start of a secret). */
  private held = '';
  /** Position, in the whole text, of `held`'s first character. */
  private heldStart = 0;
  /** Position after the last character received. */
  private received = 0;
  /** End of the last mask returned: a secret found overlapping it only makes it longer. */
  private maskedUntil = 0;
  /**
   * Stretches to mask that are not returned yet, in order and apart: a secret still being read
   * may begin before one of them and join them.
   */
  private readonly pending: { start: number; end: number }[] = [];

  constructor(private readonly automaton: NeedleAutomaton) {}

  /** The masked text that can be shown now. */
  push(chunk: string): string {
    if (this.automaton.isEmpty) {
      return chunk;
    }
    const chunkStart = this.received;
    this.held += chunk;
    this.state = this.automaton.scan(chunk, this.state, (index, length) => this.found(chunkStart + index + 1 - length, chunkStart + index + 1));
    this.received += chunk.length;
    // No secret found later can begin before this: its start is in the text that the state's depth spans.
    return this.release(this.received - this.automaton.depth[this.state]);
  }

  /** The rest, at the end of the text: what was held back cannot become a secret any more. */
  flush(): string {
    this.state = 0;
    return this.release(this.received);
  }

  private found(start: number, end: number): void {
    if (start < this.maskedUntil) {
      // Every pending stretch lies between the returned mask and `end`: the one mask now covers them.
      this.maskedUntil = end;
      this.pending.length = 0;
      return;
    }
    let joinedStart = start;
    while (this.pending.length && this.pending[this.pending.length - 1].end > start) {
      joinedStart = Math.min(joinedStart, this.pending.pop()!.start);
    }
    this.pending.push({ start: joinedStart, end });
  }

  /** Returns the text up to `safeUntil`, masked, and holds the rest. */
  private release(safeUntil: number): string {
    const base = this.heldStart;
    const pieces: string[] = [];
    // Text that a returned mask grew over is not shown.
    let shownUntil = Math.max(base, this.maskedUntil);
    let released = 0;
    for (; released < this.pending.length && this.pending[released].start <= safeUntil; released++) {
      const { start, end } = this.pending[released];
      pieces.push(this.held.slice(shownUntil - base, start - base), secretMask);
      this.maskedUntil = end;
      shownUntil = end;
    }
    this.pending.splice(0, released);
    const plainUntil = Math.min(safeUntil, this.pending.length ? this.pending[0].start : safeUntil);
    if (plainUntil > shownUntil) {
      pieces.push(this.held.slice(shownUntil - base, plainUntil - base));
      shownUntil = plainUntil;
    }
    this.held = this.held.slice(shownUntil - base);
    this.heldStart = shownUntil;
    return pieces.join('');
  }
}

/** Hides secret values, in every form of {@link secretForms}, in text shown to the user. */
export function redactSecrets(text: string, secretValues: Iterable<string>): string {
  return new SecretMasker(secretValues).mask(text);
}

/**
 * Aho–Corasick automaton over UTF-16 code units: after each character, `matchLength` of the
 * state is the length of the longest needle ending there (0 for none), and `depth` the length of
 * the longest end of the text that may still grow into a needle. States are numbered breadth
 * first, so a state's children are consecutive, and the shallow states that ordinary text visits
 * come first and get a full row of transitions (one lookup per character); deeper ones follow
 * failure links.
 */
class NeedleAutomaton {
  readonly isEmpty: boolean;
  readonly depth: Int32Array;
  readonly matchLength: Int32Array;
  /** Character code → symbol; 0 for characters in no needle. */
  private readonly symbolOf = new Int32Array(0x10000);
  private readonly symbolCount: number;
  /** States below this number have a full row in `rows`. */
  private readonly rowCount: number;
  private readonly rows: Int32Array;
  private readonly failure: Int32Array;
  /** The children of state s are the states from firstChild[s] to firstChild[s + 1] - 1. */
  private readonly firstChild: Int32Array;
  /** The symbol read to reach each state from its parent. */
  private readonly symbolTo: Int32Array;

  constructor(needles: string[]) {
    // The trie, as nodes numbered in insertion order with their children in linked lists.
    const nodeSymbol = [0];
    const nodeNeedleLength = [0];
    const firstChildNode = [-1];
    const nextSiblingNode = [-1];
    let symbolCount = 1;
    for (const needle of needles) {
      let node = 0;
      for (let index = 0; index < needle.length; index++) {
        const code = needle.charCodeAt(index);
        const symbol = this.symbolOf[code] || (this.symbolOf[code] = symbolCount++);
        let child = firstChildNode[node];
        while (child !== -1 && nodeSymbol[child] !== symbol) {
          child = nextSiblingNode[child];
        }
        if (child === -1) {
          child = nodeSymbol.length;
          nodeSymbol.push(symbol);
          nodeNeedleLength.push(0);
          firstChildNode.push(-1);
          nextSiblingNode.push(firstChildNode[node]);
          firstChildNode[node] = child;
        }
        node = child;
      }
      nodeNeedleLength[node] = needle.length;
    }
    const stateCount = nodeSymbol.length;
    this.symbolCount = symbolCount;
    this.isEmpty = stateCount === 1;

    const nodeOfState = new Int32Array(stateCount);
    this.firstChild = new Int32Array(stateCount + 1);
    this.symbolTo = new Int32Array(stateCount);
    this.depth = new Int32Array(stateCount);
    let queued = 1;
    for (let state = 0; state < stateCount; state++) {
      this.firstChild[state] = queued;
      for (let node = firstChildNode[nodeOfState[state]]; node !== -1; node = nextSiblingNode[node]) {
        nodeOfState[queued] = node;
        this.symbolTo[queued] = nodeSymbol[node];
        this.depth[queued++] = this.depth[state] + 1;
      }
    }
    this.firstChild[stateCount] = queued;

    // A state's failure is shallower, so breadth-first order computes it, and its row, first.
    this.failure = new Int32Array(stateCount);
    this.matchLength = new Int32Array(stateCount);
    this.rowCount = Math.min(stateCount, Math.floor(maxRowEntries / symbolCount));
    this.rows = new Int32Array(this.rowCount * symbolCount);
    for (let state = 0; state < stateCount; state++) {
      const hasRow = state < this.rowCount;
      if (hasRow && state !== 0) {
        const fallbackRow = this.failure[state] * symbolCount;
        this.rows.copyWithin(state * symbolCount, fallbackRow, fallbackRow + symbolCount);
      }
      for (let child = this.firstChild[state]; child < this.firstChild[state + 1]; child++) {
        const fallback = state === 0 ? 0 : this.next(this.failure[state], this.symbolTo[child]);
        this.failure[child] = fallback;
        this.matchLength[child] = nodeNeedleLength[nodeOfState[child]] || this.matchLength[fallback];
        if (hasRow) {
          this.rows[state * symbolCount + this.symbolTo[child]] = child;
        }
      }
    }
  }

  /**
   * Reads `text` from `state` and returns the state at its end, calling `onMatch` with the
   * index of the last character and the length of the longest needle that ends there.
   */
  scan(text: string, state: number, onMatch: (index: number, length: number) => void): number {
    const { symbolOf, rows, rowCount, symbolCount, matchLength } = this;
    for (let index = 0; index < text.length; index++) {
      const symbol = symbolOf[text.charCodeAt(index)];
      state = state < rowCount ? rows[state * symbolCount + symbol] : this.next(state, symbol);
      if (matchLength[state] !== 0) {
        onMatch(index, matchLength[state]);
      }
    }
    return state;
  }

  private next(state: number, symbol: number): number {
    while (state >= this.rowCount) {
      for (let child = this.firstChild[state]; child < this.firstChild[state + 1]; child++) {
        if (this.symbolTo[child] === symbol) {
          return child;
        }
      }
      state = this.failure[state];
    }
    return this.rows[state * this.symbolCount + symbol];
  }
}

/** Full rows for at most this many (state, symbol) pairs: 4 MiB, whatever the secrets' size. */
const maxRowEntries = 1 << 20;

function base64Forms(bytes: Buffer): string[] {
  const standard = bytes.toString('base64');
  const unpadded = standard.replace(/=+$/, '');
  const urlSafe = bytes.toString('base64url');
  return [standard, unpadded, urlSafe, urlSafe + standard.slice(unpadded.length), wrapLines(standard, 76), wrapLines(standard, 64)];
}

/**
 * The base64 characters that `bytes` alone determine when they follow 0, 1 or 2 other bytes of
 * an encoded text: character i holds bits [6i, 6i + 6), so it is fixed when those bits all fall
 * among the value's.
 */
function base64Cores(bytes: Buffer): string[] {
  const cores: string[] = [];
  for (const offset of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const core = encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
    if (core.length >= minimumBase64CoreLength) {
      cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return cores;
}

function wrapLines(text: string, width: number): string {
  return text.replace(new RegExp(`(.{${width}})(?=.)`, 'g'), '$1\n');
}

/** Percent-encodings: which ASCII punctuation each encoder leaves as is, and how it writes a space. */
const percentEncoders: { keeps: string; space: string }[] = [
  { keeps: "-_.!~*'()", space: '%20' }, // encodeURIComponent
  { keeps: '-_.~', space: '%20' }, // RFC 3986: curl --data-urlencode, Python quote(safe='')
  { keeps: '-_.~/', space: '%20' }, // Python quote
  { keeps: '-_.*', space: '+' }, // HTML forms, URLSearchParams, Java's URLEncoder
  { keeps: '-_.~', space: '+' }, // Python quote_plus, Go's url.QueryEscape
];

function percentEncodings(value: string): string[] {
  return percentEncoders.flatMap(({ keeps, space }) => {
    let encoded = '';
    for (const character of value) {
      if (/^[A-Za-z0-9]$/.test(character) || keeps.includes(character)) {
        encoded += character;
      } else if (character === ' ') {
        encoded += space;
      } else {
        for (const byte of Buffer.from(character, 'utf8')) {
          encoded += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
        }
      }
    }
    return [encoded, encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase())];
  });
}

function jsonEscapings(value: string): string[] {
  const javaScript = JSON.stringify(value).slice(1, -1);
  const unicodeEscape = (character: string) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
  const asciiOnly = javaScript.replace(/[^\x00-\x7f]/g, unicodeEscape);
  return [
    javaScript,
    asciiOnly, // Python's json.dumps
    asciiOnly.replace(/\\u[0-9a-f]{4}/g, (escape) => `\\u${escape.slice(2).toUpperCase()}`), // .NET's System.Text.Json
    javaScript.replace(/[<>&\u2028\u2029]/g, unicodeEscape), // Go's encoding/json
    javaScript.replace(/\//g, '\\/'), // PHP's json_encode
  ];
}

const ansiCEscapes: Record<string, string> = { '\x07': 'a', '\b': 'b', '\t': 't', '\n': 'n', '\v': 'v', '\f': 'f', '\r': 'r', '\x1b': 'E', '\\': '\\', "'": "'" };

/** bash's `printf %q` (in a UTF-8 locale): backslashes before special characters, or `$'…'` when there are control characters. */
function shellQuoted(value: string): string {
  if (/[\x00-\x1f\x7f]/.test(value)) {
    const escaped = value.replace(/[\x00-\x1f\x7f\\']/g, (character) => {
      const named = ansiCEscapes[character];
      return `\\${named ?? character.charCodeAt(0).toString(8).padStart(3, '0')}`;
    });
    return `$'${escaped}'`;
  }
  return value
    .replace(/[ !"$&'()*,;<>?[\\\]^`{|}]/g, '\\$&')
    .replace(/^#/, '\\#')
    .replace(/(^|[=:])~/g, '$1\\~');
}
