/** One server-sent event: its `event:` name (default "message") and its `data:` lines joined by "\n". */
export interface SseMessage {
  event: string;
  data: string;
}

/**
 * Splits a server-sent events byte stream into messages, per the WHATWG rules this needs:
 * `:` comments (keepalives) are skipped, a blank line ends a message, CR, LF and CRLF all end a line.
 */
export async function* readSse(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let event = '';
  let data: string[] = [];
  for await (const chunk of chunks) {
    pending += decoder.decode(chunk, { stream: true });
    let lineEnd: number;
    while ((lineEnd = pending.search(/[\r\n]/)) !== -1) {
      // A CR at the very end may be the first half of a CRLF split across chunks.
      if (pending[lineEnd] === '\r' && lineEnd === pending.length - 1) {
        break;
      }
      const line = pending.slice(0, lineEnd);
      pending = pending.slice(pending.startsWith('\r\n', lineEnd) ? lineEnd + 2 : lineEnd + 1);
      if (line === '') {
        if (data.length > 0 || event !== '') {
          yield { event: event || 'message', data: data.join('\n') };
        }
        event = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) {
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') {
        event = value;
      } else if (field === 'data') {
        data.push(value);
      }
    }
  }
}
