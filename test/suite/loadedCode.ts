// Which parts of the installed bundle have loaded, seen from outside the extension through the inspector:
// - undici's modules are CommonJS, each wrapped by esbuild in a function that stays alive after it runs, so
//   V8's best-effort coverage counts the call of the one that holds its diagnostics channels;
// - the template engine's modules are ES modules, whose wrappers are dropped once run, but what they define
//   stays in the bundle's scope: its discovery regexp is there once the engine has loaded.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as v8 from 'node:v8';
import * as vscode from 'vscode';
import { extensionId } from './fixture';

export type BundlePart = 'the HTTP client (undici)' | 'the template engine';
export const bundleParts: readonly BundlePart[] = ['the HTTP client (undici)', 'the template engine'];

/** A literal at the top level of undici's diagnostics module, and the template engine's discovery regexp as V8 describes it. */
const undiciMarker = 'undici:client:beforeConnect';
const templateRegexp = String.raw`/^\{\{\.[a-zA-Z0-9_]+/`;

// V8 drops the bytecode of functions that have not run for a while, and their coverage with it.
v8.setFlagsFromString('--no-flush-bytecode');

// One session, never disabled: disabling the profiler would drop what V8 has counted.
const session = new inspector.Session();
session.connect();
function post<T>(method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))));
}
const profilerEnabled = post('Profiler.enable');

interface RemoteObject { type: string; subtype?: string; description?: string; objectId?: string }
interface PropertyDescriptor { name: string; value?: RemoteObject }

function installedBundle(): string {
  return path.join(vscode.extensions.getExtension(extensionId)!.extensionPath, 'dist', 'extension.js');
}

/** Whether V8 has counted a call of the innermost function around the marker (best-effort coverage: functions that have run). */
async function hasRunAround(bundle: string, marker: string): Promise<boolean> {
  const offset = fs.readFileSync(bundle, 'utf8').indexOf(marker);
  assert.ok(offset >= 0, `${marker} is not in ${bundle}: choose another marker`);
  await profilerEnabled;
  const { result } = await post<{ result: { url: string; functions: { ranges: { startOffset: number; endOffset: number; count: number }[] }[] }[] }>('Profiler.getBestEffortCoverage');
  const script = result.find((entry) => entry.url === pathToFileURL(bundle).href);
  assert.ok(script, `V8 has no coverage of ${bundle}: is the extension active?`);
  return script.functions.some(({ ranges: [whole] }) => whole.startOffset > 0 && whole.startOffset <= offset && offset < whole.endOffset && whole.count > 0);
}

/** The values in the bundle's top-level scope, reached through the scope of the `activate` it exports. */
async function bundleScopeValues(bundle: string): Promise<RemoteObject[]> {
  const exported = (require.cache[bundle] ?? require.cache[fs.realpathSync(bundle)])?.exports as { activate?: unknown } | undefined;
  assert.ok(exported?.activate, `${bundle} is not loaded in this extension host`);
  const global = globalThis as { hoopSuiteActivate?: unknown };
  global.hoopSuiteActivate = exported.activate;
  try {
    const { result: activate } = await post<{ result: RemoteObject }>('Runtime.evaluate', { expression: 'globalThis.hoopSuiteActivate' });
    const { internalProperties } = await post<{ internalProperties: PropertyDescriptor[] }>('Runtime.getProperties', { objectId: activate.objectId, ownProperties: true });
    const scopes = internalProperties.find((property) => property.name === '[[Scopes]]')?.value;
    assert.ok(scopes?.objectId, 'V8 shows no scopes of activate');
    const { result: scopeList } = await post<{ result: PropertyDescriptor[] }>('Runtime.getProperties', { objectId: scopes.objectId, ownProperties: true });
    const values: RemoteObject[] = [];
    for (const scope of scopeList) {
      if (!scope.value?.objectId || scope.value.description === 'Global') continue;
      const { result: variables } = await post<{ result: PropertyDescriptor[] }>('Runtime.getProperties', { objectId: scope.value.objectId, ownProperties: true });
      values.push(...variables.flatMap((variable) => (variable.value ? [variable.value] : [])));
    }
    return values;
  } finally {
    delete global.hoopSuiteActivate;
  }
}

/** Whether the part has loaded in this extension host. */
export async function hasLoaded(part: BundlePart): Promise<boolean> {
  const bundle = installedBundle();
  if (part === 'the HTTP client (undici)') return hasRunAround(bundle, undiciMarker);
  const values = await bundleScopeValues(bundle);
  assert.ok(values.length > 100, `the bundle's scope shows only ${values.length} values: the check could not tell`);
  return values.some((value) => value.subtype === 'regexp' && value.description === templateRegexp);
}
