/** hoop's web UI shows at most 512 KiB of a session's output; the extension shows as much of each end. */
export const defaultShownBytes = 512 * 1024;

export interface OutputViewLimits {
  /** UTF-8 bytes kept from the start of the output. */
  headBytes: number;
  /** UTF-8 bytes kept from the end of the output. */
  tailBytes: number;
}

export interface RenderedOutput {
  /** The start and the end of the output; when a middle part is left out, a line between them says how much. */
  text: string;
  /** UTF-8 bytes of the output that `text` leaves out. */
  omittedBytes: number;
}

/**
 * What the editor shows of an output too large to show whole: its first and last bytes, fed a
 * chunk at a time, in memory bounded by the limits whatever the output's size. Feed it masked
 * text (see `StreamingMasker`): cutting can only shorten what it is given.
 */
export class OutputView {
  private readonly limits: OutputViewLimits;
  private head = '';
  private headBytes = 0;
  /** The latest text in a few pieces, dropped from the front while the rest still holds `tailBytes`. */
  private readonly tail: { text: string; bytes: number }[] = [];
  private tailBytes = 0;
  private totalBytes = 0;

  constructor(limits: Partial<OutputViewLimits> = {}) {
    this.limits = { headBytes: defaultShownBytes, tailBytes: defaultShownBytes, ...limits };
  }

  append(text: string): void {
    this.totalBytes += Buffer.byteLength(text, 'utf8');
    if (this.headBytes < this.limits.headBytes) {
      const taken = utf8Prefix(text, this.limits.headBytes - this.headBytes);
      this.head += taken;
      this.headBytes += Buffer.byteLength(taken, 'utf8');
      if (taken.length === text.length) {
        return;
      }
      text = text.slice(taken.length);
    }
    const kept = utf8Suffix(text, this.limits.tailBytes);
    const keptBytes = Buffer.byteLength(kept, 'utf8');
    const last = this.tail[this.tail.length - 1];
    // Small chunks join the last one, so that the list stays short however the output is cut.
    if (last && last.bytes < this.limits.tailBytes / 8) {
      last.text += kept;
      last.bytes += keptBytes;
    } else {
      this.tail.push({ text: kept, bytes: keptBytes });
    }
    this.tailBytes += keptBytes;
    while (this.tail.length > 1 && this.tailBytes - this.tail[0].bytes >= this.limits.tailBytes) {
      this.tailBytes -= this.tail.shift()!.bytes;
    }
  }

  render(): RenderedOutput {
    const rest = this.tail.map((chunk) => chunk.text).join('');
    const tail = utf8Suffix(rest, this.limits.tailBytes);
    const omittedBytes = this.totalBytes - this.headBytes - Buffer.byteLength(tail, 'utf8');
    if (omittedBytes === 0) {
      return { text: this.head + tail, omittedBytes };
    }
    const lineBreak = this.head === '' || this.head.endsWith('\n') ? '' : '\n';
    return { text: `${this.head}${lineBreak}[… ${describeBytes(omittedBytes)} not shown …]\n${tail}`, omittedBytes };
  }
}

/** `text` cut into pieces of at most `size` characters (never inside a surrogate pair), to append to an output one at a time. */
export function slices(text: string, size: number): string[] {
  if (!(size >= 2)) {
    throw new RangeError(`A slice must hold at least 2 characters (a surrogate pair); got ${size}.`);
  }
  const pieces: string[] = [];
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + size, text.length);
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) {
      end--;
    }
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

/** "12.3 MiB", "512 KiB", "17 bytes". */
export function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) {
    return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  }
  return bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
}

/** The longest start of `text` that is at most `maxBytes` UTF-8 bytes (a new string: a slice would keep a huge text alive). */
function utf8Prefix(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) {
    return text;
  }
  // maxBytes characters are at least maxBytes bytes.
  const bytes = Buffer.from(text.slice(0, maxBytes), 'utf8');
  let cut = maxBytes;
  while (cut > 0 && isContinuationByte(bytes[cut])) {
    cut--;
  }
  return bytes.subarray(0, cut).toString('utf8');
}

/** The longest end of `text` that is at most `maxBytes` UTF-8 bytes (a new string, as for the start). */
function utf8Suffix(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) {
    return text;
  }
  const bytes = Buffer.from(text.slice(Math.max(0, text.length - maxBytes)), 'utf8');
  let cut = bytes.length - maxBytes;
  while (cut < bytes.length && isContinuationByte(bytes[cut])) {
    cut++;
  }
  return bytes.subarray(cut).toString('utf8');
}

function isContinuationByte(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
