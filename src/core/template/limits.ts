/**
 * Bounds that keep any template, however hostile or broken, from exhausting memory or the JavaScript stack:
 * past each one the engine answers with a typed error instead (see index.ts).
 */

/** The largest rendered runbook, and the largest string any function returns: 16 MiB, 16 times hoop's 1,000,000-byte template limit. */
export const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

/**
 * Nesting the parser accepts: {{if}}/{{with}}/{{range}}/{{block}} bodies, {{else if}} chains and parenthesised
 * pipelines together. Go caps parentheses at 10,000 and relies on growable stacks for the rest; a JavaScript
 * stack holds about 1,000 such levels, so the cap leaves room for template calls on top.
 */
export const MAX_PARSE_DEPTH = 100;

/**
 * Go's exec depth limit (100,000 natively, 1,000 under wasm), counted here over every nested body, template call
 * and parenthesised pipeline, so that even a self-recursive {{define}} ends well inside the JavaScript stack.
 */
export const MAX_EXEC_DEPTH = 300;

/** A value or the output grew past MAX_OUTPUT_BYTES. */
export class TooLargeError extends Error {
  constructor(what: string) {
    super(`${what} is over the ${MAX_OUTPUT_BYTES}-byte limit`);
  }
}

/** Throws when a string being built is certainly past the limit (a UTF-16 length never exceeds the UTF-8 length). */
export function checkGrowth(length: number): void {
  if (length > MAX_OUTPUT_BYTES) throw new TooLargeError('the result');
}
