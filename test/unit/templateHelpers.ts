/** Helpers shared by the template tests: each returns what a user would see, or fails the test. */
import { strict as assert } from 'node:assert';
import { TemplateExecError, TemplateParseError } from '../../src/core/errors';
import { parseRunbookTemplate, type RenderResult } from '../../src/core/template';

export type Inputs = Record<string, string> | null;

/** The TemplateParseError's message; fails on success or on any other error. */
export function parseError(tmpl: string): string {
  try {
    parseRunbookTemplate(tmpl);
  } catch (e) {
    assert.ok(e instanceof TemplateParseError, `expected TemplateParseError, got ${String(e)}`);
    return e.message;
  }
  return assert.fail('expected a parse error');
}

/** The TemplateExecError's message; fails on success or on any other error. */
export function execError(tmpl: string, inputs: Inputs = {}): string {
  const template = parseRunbookTemplate(tmpl);
  try {
    template.render(inputs);
  } catch (e) {
    assert.ok(e instanceof TemplateExecError, `expected TemplateExecError, got ${String(e)}`);
    return e.message;
  }
  return assert.fail('expected an exec error');
}

export function render(tmpl: string, inputs: Inputs = {}): RenderResult {
  return parseRunbookTemplate(tmpl).render(inputs);
}

export const output = (tmpl: string, inputs: Inputs = {}) => render(tmpl, inputs).output;
