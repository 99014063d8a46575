/**
 * Go's regexp.MatchString on re2js, a port of RE2 (the engine behind Go's regexp): the same syntax, the same
 * error texts, and matching in time linear in the input, so no pattern can freeze the editor.
 */
import { RE2JS, RE2JSSyntaxException } from 're2js';
import { TemplateExecError } from '../errors';
import { goRunesAsText } from './goText';

/** Compiled patterns kept for the next keystroke; a bound keeps a stream of distinct patterns from growing memory. */
const CACHE_SIZE = 64;
const cache = new Map<string, RE2JS>();

/** Go's syntax.Error text. re2js leaves out the expression where Go prints an empty one or the whole pattern. */
function goSyntaxError(e: RE2JSSyntaxException, pattern: string): TemplateExecError {
  let message = e.message;
  if (!message.endsWith('`')) {
    message += message.endsWith('trailing backslash at end of expression') ? ': ``' : `: \`${pattern}\``;
  }
  return new TemplateExecError(`regexp error: ${message}`);
}

function compile(pattern: string): RE2JS {
  let re = cache.get(pattern);
  if (re) return re;
  try {
    re = RE2JS.compile(pattern);
  } catch (e) {
    if (e instanceof RE2JSSyntaxException) throw goSyntaxError(e, pattern);
    throw e;
  }
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(pattern, re);
  return re;
}

/**
 * Go's regexp.MatchString(pattern, value): an unanchored RE2 match. Throws TemplateExecError with hoop's text,
 * `regexp error: error parsing regexp: CODE: \`EXPR\``, for an invalid pattern.
 */
export function goRegexpMatch(pattern: string, value: string): boolean {
  return compile(pattern).matcher(goRunesAsText(value)).find();
}
