import { SecretMasker } from '../redact';
import type { OutputMasker } from './follow';

/** A run's masker: its output streams through one StreamingMasker, so a secret split across chunks is still caught. */
export function createOutputMasker(secretValues: string[]): OutputMasker {
  const masker = new SecretMasker(secretValues);
  const stream = masker.stream();
  return {
    push: (chunk) => stream.push(chunk),
    flush: () => stream.flush(),
    maskAll: (text) => masker.mask(text),
  };
}
