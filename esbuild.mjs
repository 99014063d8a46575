// Bundles the extension into one minified file: dist/extension.js, and writes what each byte is
// (esbuild's metafile) to dist/extension.meta.json for `npm run bench`.
import * as esbuild from 'esbuild';
import { writeFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// `--probe <entry> <outfile>`: a bench probe bundled exactly like the extension (test/bench/bench.ts).
const probeAt = process.argv.indexOf('--probe');
const [entry, outfile] = probeAt < 0 ? ['src/extension.ts', 'dist/extension.js'] : process.argv.slice(probeAt + 1, probeAt + 3);

/**
 * undici carries llhttp twice, as WebAssembly with and without SIMD (76 KiB each). It tries the SIMD build
 * and falls back to the plain one, which runs everywhere: ship only the plain one.
 */
const plainLlhttpOnly = {
  name: 'plain-llhttp-only',
  setup(build) {
    build.onResolve({ filter: /llhttp_simd-wasm\.js$/ }, (args) => ({ path: args.path, namespace: 'plain-llhttp-only' }));
    build.onLoad({ filter: /.*/, namespace: 'plain-llhttp-only' }, () => ({
      contents: "throw new Error('llhttp SIMD build left out of the bundle: undici uses the plain build')",
    }));
  },
};

const context = await esbuild.context({
  entryPoints: [entry],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile,
  external: ['vscode'],
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  plugins: [plainLlhttpOnly],
});

if (watch) {
  await context.watch();
} else {
  const result = await context.rebuild();
  await context.dispose();
  writeFileSync(outfile.replace(/\.js$/, '.meta.json'), JSON.stringify(result.metafile));
  console.log(`${outfile}: ${(result.metafile.outputs[outfile].bytes / 1024).toFixed(0)} KiB${production ? ' (minified)' : ''}`);
}
