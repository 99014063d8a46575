import type { ExecOutputSink } from '../execAnswer';
import { SecretMasker } from '../redact';
import type { OutputMasker } from './follow';
import { runOutputMaxChars } from './run';
import { TextTail } from './textTail';

/** A run's masker: its output streams through one StreamingMasker, so a secret split across chunks is still caught. */
export function createOutputMasker(secretValues: string[]): OutputMasker {
  const masker = new SecretMasker(secretValues);
  const stream = masker.stream();
  return {
    push: (chunk) => stream.push(chunk),
    flush: () => stream.flush(),
    maskAll: (text) => masker.mask(text),
    answerSink: () => maskedOutputTail(masker),
  };
}

function maskedOutputTail(masker: SecretMasker): ExecOutputSink {
  const stream = masker.stream();
  const tail = new TextTail(runOutputMaxChars);
  return {
    write: (text) => tail.append(stream.push(text)),
    result: () => {
      tail.append(stream.flush());
      return { text: tail.text, charsDropped: tail.charsDropped };
    },
  };
}
