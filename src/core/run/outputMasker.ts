import { redactSecrets } from '../redact';
import type { OutputMasker } from './follow';

/**
 * Masks a run's secrets in its output as it streams: a secret split across two chunks is caught
 * by holding back the last few characters until the next chunk (or the end) arrives.
 */
export function createOutputMasker(secretValues: string[]): OutputMasker {
  const values = secretValues.filter((value) => value !== '');
  const holdBack = Math.max(0, ...values.map((value) => Buffer.from(value).toString('base64').length + 8)) ;
  let pending = '';
  return {
    push(chunk) {
      pending += chunk;
      if (pending.length <= holdBack) {
        return '';
      }
      const masked = redactSecrets(pending, values);
      const keep = Math.min(holdBack, masked.length);
      pending = masked.slice(masked.length - keep);
      return masked.slice(0, masked.length - keep);
    },
    flush() {
      const rest = redactSecrets(pending, values);
      pending = '';
      return rest;
    },
    maskAll: (text) => redactSecrets(text, values),
  };
}
