// What activation loads: esbuild evaluates a module when the bundle loads if the entry reaches it through
// static imports; a module reached only through `await import()` runs on first use. This checks, with the
// same bundler and entry as esbuild.mjs, that the heavy parts of a run stay off the activation path.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const entry = 'src/extension.ts';

/** Inputs of the bundle reached from the entry through static imports only, each with the chain that reaches it. */
async function activationPath(): Promise<{ all: string[]; eager: Map<string, string[]> }> {
  const { metafile } = await esbuild.build({
    absWorkingDir: repoRoot,
    entryPoints: [entry],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    external: ['vscode'],
    write: false,
    outdir: 'out/activation-path-check',
    metafile: true,
    logLevel: 'silent',
  });
  const eager = new Map<string, string[]>([[entry, [entry]]]);
  const pending = [entry];
  for (let input = pending.pop(); input !== undefined; input = pending.pop()) {
    for (const imported of metafile.inputs[input]?.imports ?? []) {
      if (imported.kind === 'dynamic-import' || imported.external || eager.has(imported.path)) continue;
      eager.set(imported.path, [...eager.get(input)!, imported.path]);
      pending.push(imported.path);
    }
  }
  return { all: Object.keys(metafile.inputs), eager };
}

const loadedOnFirstUse: [string, RegExp][] = [
  ['the HTTP client (undici)', /node_modules\/undici\//],
  ['the template engine', /^src\/core\/template\//],
  ["the template engine's regexps (re2js)", /node_modules\/re2js\//],
  ['git (simple-git)', /node_modules\/simple-git\//],
  ['the commands and the run flow', /^src\/(commands|run\/runFlow|run\/runLifecycle)\.ts$/],
  ['the gateway client', /^src\/core\/gatewayClient\.ts$/],
  ["the secrets' glob matching (minimatch)", /node_modules\/minimatch\//],
  ["the CLI config's TOML parser (smol-toml)", /node_modules\/smol-toml\//],
];

describe('the activation path (dist/extension.js)', function () {
  this.timeout(30_000);
  let bundle: Awaited<ReturnType<typeof activationPath>>;
  before(async () => {
    bundle = await activationPath();
  });

  for (const [what, pattern] of loadedOnFirstUse) {
    it(`loads ${what} on first use, not at activation`, () => {
      assert.ok(bundle.all.some((input) => pattern.test(input)), `${what} is not in the bundle at all: the check would prove nothing`);
      const chains = [...bundle.eager].filter(([input]) => pattern.test(input)).map(([, chain]) => chain.join(' → '));
      assert.deepEqual(chains, [], `activation loads ${what} through static imports:\n${chains.slice(0, 3).join('\n')}\nImport it with \`await import()\` where it is first needed.`);
    });
  }
});
