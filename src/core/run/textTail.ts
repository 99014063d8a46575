/**
 * The end of a long text: keeps the last `maxChars` and counts what it dropped before them.
 * Kept as the pieces that arrived, dropped whole from the front: a 110 MiB output costs neither a copy
 * per piece nor big strings left for the garbage collector.
 */
export class TextTail {
  private pieces: string[] = [];
  /** Pieces before this index are dropped (an index, as Array.shift would copy the array each time). */
  private first = 0;
  /** Characters in `pieces` from `first`. */
  private held = 0;
  private dropped = 0;
  private joined: string | undefined = '';

  constructor(private readonly maxChars: number) {}

  get text(): string {
    if (this.joined === undefined) {
      const all = this.pieces.slice(this.first).join('');
      this.joined = all.length > this.maxChars ? all.slice(-this.maxChars) : all;
      this.pieces = [this.joined];
      this.first = 0;
      this.dropped += this.held - this.joined.length;
      this.held = this.joined.length;
    }
    return this.joined;
  }

  get charsDropped(): number {
    return this.dropped + Math.max(0, this.held - this.maxChars);
  }

  append(text: string): void {
    if (!text) {
      return;
    }
    this.pieces.push(text);
    this.held += text.length;
    this.joined = undefined;
    // Drop pieces that lie wholly before the last `maxChars`.
    while (this.pieces.length - this.first > 1 && this.held - this.pieces[this.first]!.length >= this.maxChars) {
      const length = this.pieces[this.first]!.length;
      // Let the dropped piece go now: the array keeps its slot until the next compaction.
      this.pieces[this.first++] = '';
      this.held -= length;
      this.dropped += length;
    }
    if (this.first > 1024 && this.first * 2 > this.pieces.length) {
      this.pieces = this.pieces.slice(this.first);
      this.first = 0;
    }
  }

  /** Starts again from `text`, which already had `charsDroppedBefore` cut from its start. */
  reset(text = '', charsDroppedBefore = 0): void {
    this.pieces = [];
    this.first = 0;
    this.held = 0;
    this.dropped = charsDroppedBefore;
    this.joined = '';
    this.append(text);
  }
}
