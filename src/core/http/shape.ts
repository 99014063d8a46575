import { GatewayAnswerError } from '../errors';

/**
 * Checks the gateway's JSON against the shape this extension reads, so a malformed answer becomes one
 * typed error naming the route and the field, never a TypeError further down.
 */
export class ShapeReader {
  constructor(readonly route: string) {}

  fail(path: string, expected: string, value: unknown): never {
    throw new GatewayAnswerError(
      `The gateway's answer to ${this.route} could not be understood: ${path || 'the body'} is ${describe(value)}, expected ${expected}. Check that "hoop.gatewayUrl" is the hoop gateway's API address, or ask a hoop admin to check the gateway version.`,
      this.route,
    );
  }

  object(value: unknown, path = ''): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(path, 'an object', value);
    }
    return value as Record<string, unknown>;
  }

  string(value: unknown, path: string): string {
    if (typeof value !== 'string') {
      this.fail(path, 'a string', value);
    }
    return value;
  }

  /** Go's `omitempty` and nil pointers: absent or null read as undefined. */
  optionalString(value: unknown, path: string): string | undefined {
    return value === undefined || value === null ? undefined : this.string(value, path);
  }

  optionalBoolean(value: unknown, path: string): boolean | undefined {
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value !== 'boolean') {
      this.fail(path, 'true or false', value);
    }
    return value;
  }

  optionalNumber(value: unknown, path: string): number | undefined {
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.fail(path, 'a number', value);
    }
    return value;
  }

  /** Go encodes a nil slice as null: absent and null are an empty list. */
  list<T>(value: unknown, path: string, item: (entry: unknown, path: string) => T): T[] {
    if (value === undefined || value === null) {
      return [];
    }
    if (!Array.isArray(value)) {
      this.fail(path, 'a list', value);
    }
    return value.map((entry, index) => item(entry, `${path}[${index}]`));
  }

  stringList(value: unknown, path: string): string[] {
    return this.list(value, path, (entry, entryPath) => this.string(entry, entryPath));
  }
}

function describe(value: unknown): string {
  if (value === undefined) {
    return 'missing';
  }
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  const text = typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : typeof value === 'object' ? 'an object' : String(value);
  return typeof value === 'string' ? `the text ${text}` : typeof value === 'object' ? text : `${typeof value} ${text}`;
}
