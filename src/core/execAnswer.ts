import { JsonObjectStream } from './http/jsonObjectStream';

/**
 * Where an exec answer's `output` goes as it arrives (up to 110 MiB, hoop-gateway.md §1.4); `result()`
 * is what the answer's `output` holds at the end, e.g. only its masked end.
 */
export interface ExecOutputSink {
  write(text: string): void;
  result(): { text: string; charsDropped: number };
}

/** Keeps the whole output: for callers that show no run. */
export function wholeOutput(): ExecOutputSink {
  const pieces: string[] = [];
  return {
    write: (text) => pieces.push(text),
    result: () => ({ text: pieces.join(''), charsDropped: 0 }),
  };
}

/** What the log shows of an answer that is not the JSON object it should be. */
const rawPrefixChars = 64 * 1024;

/**
 * Reads an exec answer's body as it arrives: its `output` streams into the sink, never held whole;
 * the other fields are parsed. An answer that is not a JSON object keeps only its start, for the log.
 */
export class ExecAnswerReader {
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  private readonly json: JsonObjectStream;
  private invalid = false;
  private rawPrefix = '';

  constructor(private readonly output: ExecOutputSink) {
    this.json = new JsonObjectStream('output', (text) => output.write(text));
  }

  readonly write = (piece: Uint8Array): void => {
    this.take(this.decoder.decode(piece, { stream: true }));
  };

  /** `body` is the parsed answer with its `output` (undefined when not JSON); `text` the start of a body that is not. */
  result(): { body: unknown; text: string; outputCharsDropped: number } {
    this.take(this.decoder.decode());
    if (!this.invalid) {
      try {
        const { value, streamed } = this.json.end();
        if (!streamed) {
          return { body: value, text: '', outputCharsDropped: 0 };
        }
        const { text, charsDropped } = this.output.result();
        return { body: { ...value, output: text }, text: '', outputCharsDropped: charsDropped };
      } catch {
        this.invalid = true;
      }
    }
    return { body: undefined, text: this.rawPrefix, outputCharsDropped: 0 };
  }

  private take(text: string): void {
    if (this.rawPrefix.length < rawPrefixChars) {
      this.rawPrefix += text.slice(0, rawPrefixChars - this.rawPrefix.length);
    }
    if (this.invalid || !text) {
      return;
    }
    try {
      this.json.write(text);
    } catch {
      this.invalid = true;
    }
  }
}
