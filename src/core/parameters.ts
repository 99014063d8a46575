import { TemplateExecError } from './errors';
import { goRegexpMatch, type ParameterMetadata, type ParameterType } from './template';
import type { GatewayParameterMetadata } from './gatewayTypes';

/** One parameter the user is asked for, in the shape the prompts need. */
export interface ParameterSpec {
  name: string;
  type: ParameterType;
  description: string;
  required: boolean;
  default?: string;
  placeholder?: string;
  options?: string[];
  order?: number;
  minLength?: number;
  maxLength?: number;
  asenv?: string;
  /** Only the local parse knows these: hoop keeps `pattern` and the `required` message out of the listed metadata. */
  pattern?: string;
  requiredMessage?: string;
}

const parameterTypes: readonly ParameterType[] = ['text', 'number', 'tel', 'time', 'date', 'url', 'email', 'select', 'textarea', 'password', 'file'];

function toLength(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) {
    return undefined;
  }
  return Number(value);
}

/**
 * Builds the specs from gateway or local metadata, ordered like hoop's web form:
 * by `order` ascending, then the rest alphabetically.
 */
export function parameterSpecs(
  metadata: Record<string, ParameterMetadata | GatewayParameterMetadata>,
  local: { patterns?: Record<string, string>; requiredMessages?: Record<string, string> } = {},
): ParameterSpec[] {
  const specs = Object.keys(metadata)
    .sort()
    .map((name): ParameterSpec => {
      const meta = metadata[name];
      const type = parameterTypes.includes(meta.type as ParameterType) ? (meta.type as ParameterType) : 'text';
      const spec: ParameterSpec = { name, type, description: meta.description ?? '', required: meta.required === true };
      if (meta.default !== undefined) spec.default = meta.default;
      if (meta.placeholder !== undefined) spec.placeholder = meta.placeholder;
      if (meta.options !== undefined) spec.options = [...meta.options];
      if (typeof meta.order === 'number') spec.order = meta.order;
      const minLength = toLength(meta.minlength);
      if (minLength !== undefined) spec.minLength = minLength;
      const maxLength = toLength(meta.maxlength);
      if (maxLength !== undefined) spec.maxLength = maxLength;
      if (meta.asenv !== undefined) spec.asenv = meta.asenv;
      const pattern = local.patterns?.[name];
      if (pattern !== undefined) spec.pattern = pattern;
      const requiredMessage = local.requiredMessages?.[name];
      if (requiredMessage !== undefined && requiredMessage.trim()) spec.requiredMessage = requiredMessage;
      return spec;
    });
  return specs.sort((a, b) => (a.order ?? Number.MAX_SAFE_INTEGER) - (b.order ?? Number.MAX_SAFE_INTEGER));
}

const typeChecks: Partial<Record<ParameterType, { test: (value: string) => boolean; expected: string }>> = {
  // hoop's web form blocks "e", "." and "," in number inputs.
  number: { test: (value) => /^-?\d+$/.test(value), expected: 'a whole number, like 42' },
  email: { test: (value) => /^[^\s@]+@[^\s@]+$/.test(value), expected: 'an email address, like ana@example.com' },
  url: { test: isUrl, expected: 'a URL with a scheme, like https://example.com' },
  tel: { test: (value) => /^\+?[0-9()\-.\s]{3,}$/.test(value), expected: 'a telephone number, like +1 555 0100' },
  date: { test: isDate, expected: 'a date as YYYY-MM-DD, like 2026-01-31' },
  time: { test: (value) => /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/.test(value), expected: 'a time as HH:MM, like 09:30' },
};

function isUrl(value: string): boolean {
  try {
    return Boolean(new URL(value).protocol);
  } catch {
    return false;
  }
}

function isDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) {
    return false;
  }
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.getUTCMonth() === Number(match[2]) - 1 && date.getUTCDate() === Number(match[3]);
}

/** Longer values are not matched against a `pattern` on each keystroke (re2js takes about 0.2 s per MiB). */
export const MAX_PATTERN_INPUT_BYTES = 1024 * 1024;

/**
 * The checks hoop's web form makes, plus `pattern` (which only the gateway checks, at run time).
 * Returns a message that says what is wrong and what is expected, or undefined when the value is fine.
 */
export function validateParameter(spec: ParameterSpec, value: string): string | undefined {
  if (value === '') {
    return spec.required ? (spec.requiredMessage ?? `${spec.name} is required.`) : undefined;
  }
  if (spec.minLength !== undefined && [...value].length < spec.minLength) {
    return `Minimum length is ${spec.minLength} characters (now ${[...value].length}).`;
  }
  if (spec.maxLength !== undefined && [...value].length > spec.maxLength) {
    return `Maximum length is ${spec.maxLength} characters (now ${[...value].length}).`;
  }
  const typeCheck = typeChecks[spec.type];
  if (typeCheck && !typeCheck.test(value)) {
    return `${spec.name} must be ${typeCheck.expected}.`;
  }
  if (spec.pattern !== undefined) {
    if (Buffer.byteLength(value, 'utf8') > MAX_PATTERN_INPUT_BYTES) {
      return `${spec.name} is over ${MAX_PATTERN_INPUT_BYTES / 1024 / 1024} MiB, too long to check against its pattern here; shorten it, or pass large data as a file.`;
    }
    let matches: boolean;
    try {
      matches = goRegexpMatch(spec.pattern, value);
    } catch (e) {
      if (e instanceof TemplateExecError) return undefined; // an invalid pattern is the template's fault; the gateway will report it
      throw e;
    }
    if (!matches) {
      return `${spec.name}${spec.description ? ` (${spec.description})` : ''} must match the pattern ${spec.pattern}.`;
    }
  }
  return undefined;
}

/** Values hoop hands to the script as environment variables (`asenv`) are secrets, like passwords. */
export function isSecretParameter(spec: ParameterSpec): boolean {
  return spec.type === 'password' || spec.asenv !== undefined;
}

/** Values worth offering again and showing in transcripts and history: never secrets or file contents. */
export function isRememberable(spec: ParameterSpec): boolean {
  return !isSecretParameter(spec) && spec.type !== 'file';
}

/** The value used last for this runbook and connection, else the template's `default` (which serves the first run). */
export function initialValue(spec: ParameterSpec, remembered: Record<string, string> | undefined): string {
  const last = isRememberable(spec) ? remembered?.[spec.name] : undefined;
  return last ?? spec.default ?? '';
}
