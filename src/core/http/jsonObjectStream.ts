/** The answer was not one whole JSON object. */
export class JsonStreamError extends Error {}

type State = 'start' | 'keyOrEnd' | 'keyStart' | 'key' | 'colon' | 'valueStart' | 'value' | 'streamed' | 'afterValue' | 'done';

const whitespace = /[ \t\n\r]/;
const escapes: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
/** Where plain text in a JSON string stops: its end, an escape, or a control character JSON forbids there. */
const stringStop = /["\\\u0000-\u001f]/g;

/**
 * Reads one JSON object arriving in pieces (an exec answer can carry 110 MiB of output), holding
 * only what it must: the string value of `streamedKey` is handed to `onText` as it arrives and never
 * kept; every other value is kept (up to `maxOtherChars` in all) and parsed with JSON.parse. Agrees
 * with JSON.parse on what is valid, except that a repeated `streamedKey` sends the text of each.
 */
export class JsonObjectStream {
  private state: State = 'start';
  private key = '';
  private raw = '';
  private otherChars = 0;
  /** While reading a kept value: string, escape and nesting, so its end is found without parsing. */
  private inString = false;
  private escaped = false;
  private depth = 0;
  /** An escape in the streamed string cut by a piece boundary: "\\" or "\\u12". */
  private pendingEscape = '';
  private sawStreamed = false;
  private readonly result: Record<string, unknown> = {};
  /** The streamed text decoded from the current piece, handed on in one call. */
  private decoded: string[] = [];

  constructor(
    private readonly streamedKey: string,
    private readonly onText: (text: string) => void,
    private readonly maxOtherChars = 1024 * 1024,
  ) {}

  write(text: string): void {
    let at = 0;
    try {
      while (at < text.length) {
        at = this.state === 'streamed' ? this.readStreamed(text, at) : this.step(text, at);
      }
    } finally {
      if (this.decoded.length > 0) {
        const decoded = this.decoded.join('');
        this.decoded = [];
        this.onText(decoded);
      }
    }
  }

  /** The object, with `streamedKey` left out when its value was a streamed string (`streamed` says so). */
  end(): { value: Record<string, unknown>; streamed: boolean } {
    if (this.state !== 'done') {
      throw new JsonStreamError('the JSON object ended early');
    }
    return { value: this.result, streamed: this.sawStreamed };
  }

  /** One character outside the streamed string; returns where to go on. */
  private step(text: string, at: number): number {
    const char = text[at]!;
    switch (this.state) {
      case 'start':
        if (whitespace.test(char)) return at + 1;
        if (char !== '{') throw new JsonStreamError(`expected "{" but found "${char}"`);
        this.state = 'keyOrEnd';
        return at + 1;
      case 'keyOrEnd':
      case 'keyStart':
        if (whitespace.test(char)) return at + 1;
        if (char === '}' && this.state === 'keyOrEnd') {
          this.state = 'done';
          return at + 1;
        }
        if (char !== '"') throw new JsonStreamError(`expected a key but found "${char}"`);
        this.state = 'key';
        this.raw = '"';
        this.escaped = false;
        return at + 1;
      case 'afterValue':
        if (whitespace.test(char)) return at + 1;
        if (char === '}') {
          this.state = 'done';
          return at + 1;
        }
        if (char !== ',') throw new JsonStreamError(`expected "," or "}" but found "${char}"`);
        this.state = 'keyStart';
        return at + 1;
      case 'key':
        this.keep(char);
        if (this.escaped) {
          this.escaped = false;
        } else if (char === '\\') {
          this.escaped = true;
        } else if (char === '"') {
          this.key = this.parse(this.raw) as string;
          this.raw = '';
          this.state = 'colon';
        }
        return at + 1;
      case 'colon':
        if (whitespace.test(char)) return at + 1;
        if (char !== ':') throw new JsonStreamError(`expected ":" but found "${char}"`);
        this.state = 'valueStart';
        return at + 1;
      case 'valueStart':
        if (whitespace.test(char)) return at + 1;
        if (char === '"' && this.key === this.streamedKey) {
          this.state = 'streamed';
          this.sawStreamed = true;
          delete this.result[this.key];
          return at + 1;
        }
        this.state = 'value';
        this.raw = '';
        this.inString = false;
        this.escaped = false;
        this.depth = 0;
        return at;
      case 'value':
        return this.readValue(text, at);
      case 'done':
        if (whitespace.test(char)) return at + 1;
        throw new JsonStreamError(`unexpected "${char}" after the object`);
      default:
        throw new JsonStreamError(`unexpected state ${this.state}`);
    }
  }

  /** A kept value: read up to its end, then parse it. Scalars end where a "," or "}" or space begins. */
  private readValue(text: string, at: number): number {
    const char = text[at]!;
    if (this.inString) {
      this.keep(char);
      if (this.escaped) this.escaped = false;
      else if (char === '\\') this.escaped = true;
      else if (char === '"') {
        this.inString = false;
        if (this.depth === 0) this.finishValue();
      }
      return at + 1;
    }
    if (this.depth === 0 && this.raw !== '' && (char === ',' || char === '}' || whitespace.test(char))) {
      this.finishValue();
      return at;
    }
    this.keep(char);
    if (char === '"') this.inString = true;
    else if (char === '{' || char === '[') this.depth++;
    else if (char === '}' || char === ']') {
      this.depth--;
      if (this.depth < 0) throw new JsonStreamError(`unexpected "${char}"`);
      if (this.depth === 0) this.finishValue();
    }
    return at + 1;
  }

  private finishValue(): void {
    // defineProperty, as JSON.parse does: a "__proto__" key is data, not the prototype.
    Object.defineProperty(this.result, this.key, { value: this.parse(this.raw), enumerable: true, writable: true, configurable: true });
    this.raw = '';
    this.state = 'afterValue';
  }

  /** Hands on the streamed string's text up to its closing quote; escapes are decoded, even when cut. */
  private readStreamed(text: string, at: number): number {
    if (this.pendingEscape) {
      return this.readEscape(text, at);
    }
    stringStop.lastIndex = at;
    const stop = stringStop.exec(text);
    const end = stop ? stop.index : text.length;
    if (end > at) this.decoded.push(text.slice(at, end));
    if (!stop) return text.length;
    const char = text[end]!;
    if (char === '"') {
      this.state = 'afterValue';
      this.raw = '';
      return end + 1;
    }
    if (char !== '\\') throw new JsonStreamError('a control character in a string');
    this.pendingEscape = '\\';
    return end + 1;
  }

  private readEscape(text: string, at: number): number {
    let next = at;
    while (next < text.length) {
      this.pendingEscape += text[next++];
      if (this.pendingEscape.length === 2) {
        const letter = this.pendingEscape[1]!;
        if (letter === 'u') continue;
        const decoded = escapes[letter];
        if (decoded === undefined) throw new JsonStreamError(`a bad escape "\\${letter}" in a string`);
        this.decoded.push(decoded);
        this.pendingEscape = '';
        return next;
      }
      if (this.pendingEscape.length === 6) {
        const hex = this.pendingEscape.slice(2);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new JsonStreamError(`a bad escape "\\u${hex}" in a string`);
        // A surrogate pair arrives as two escapes: handed on one half at a time, the joined text is whole.
        this.decoded.push(String.fromCharCode(parseInt(hex, 16)));
        this.pendingEscape = '';
        return next;
      }
    }
    return next;
  }

  private keep(char: string): void {
    this.raw += char;
    if (++this.otherChars > this.maxOtherChars) {
      throw new JsonStreamError(`the values besides "${this.streamedKey}" pass ${this.maxOtherChars} characters`);
    }
  }

  private parse(raw: string): unknown {
    try {
      return JSON.parse(raw);
    } catch (error) {
      throw new JsonStreamError(error instanceof Error ? error.message : String(error));
    }
  }
}
