// Bundles the extension into one minified file: dist/extension.js, and writes what each byte is
// (esbuild's metafile) to dist/extension.meta.json for `npm run bench`.
import * as esbuild from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// `--probe <entry> <outfile>`: a bench probe bundled exactly like the extension (test/bench/bench.ts).
const probeAt = process.argv.indexOf('--probe');
const [entry, outfile] = probeAt < 0 ? ['src/extension.ts', 'dist/extension.js'] : process.argv.slice(probeAt + 1, probeAt + 3);

/**
 * Parts of undici the client never reaches, replaced by a module that says so if it ever is:
 * - llhttp's SIMD WebAssembly build (76 KiB): undici tries it and falls back to the plain build, which runs everywhere;
 * - HTTP/2: the dispatchers never offer h2 in ALPN (allowH2 is off), so a socket never speaks it;
 * - fetch's body handling (and with it webidl, FormData, data: URLs): undici loads it only for FormData
 *   and Blob bodies, and the client sends strings.
 */
const undiciLeftOut = [
  [/llhttp_simd-wasm\.js$/, "throw new Error('llhttp SIMD build left out of the bundle: undici uses the plain build')"],
  [/undici[\\/]lib[\\/]dispatcher[\\/]client-h2\.js$/, "module.exports = () => { throw new Error('HTTP/2 is left out of the bundle: the client speaks HTTP/1.1') }"],
  [/undici[\\/]lib[\\/]web[\\/]fetch[\\/]body\.js$/, "module.exports = { extractBody() { throw new Error('FormData and Blob bodies are left out of the bundle') } }"],
];
const leaveOutUnusedUndici = {
  name: 'leave-out-unused-undici',
  setup(build) {
    build.onLoad({ filter: /undici[\\/]lib[\\/].*\.js$/ }, (args) => {
      const stub = undiciLeftOut.find(([pattern]) => pattern.test(args.path));
      return stub ? { contents: stub[1], loader: 'js' } : undefined;
    });
  },
};

/**
 * The README inside the .vsix (vsce --readme-path): VS Code's Extensions view shows images from http(s)
 * URLs only (its sanitizer drops relative and data: sources), and the repository has no public URL yet,
 * so the screenshots and their captions stay in the repository's README rather than show broken there.
 */
function writePackagedReadme() {
  const packaged = readFileSync('README.md', 'utf8').replace(/^( *)!\[[^\]]*\]\(media\/[\w.-]+\.png\)\n\n(?:\1\*[^\n]*\*\n\n)?/gm, '');
  writeFileSync('dist/README.md', packaged);
}

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
  plugins: [leaveOutUnusedUndici],
});

if (watch) {
  await context.watch();
} else {
  const result = await context.rebuild();
  if (production && probeAt < 0) writePackagedReadme(); // after the build, which makes dist/ in a fresh clone
  await context.dispose();
  writeFileSync(outfile.replace(/\.js$/, '.meta.json'), JSON.stringify(result.metafile));
  console.log(`${outfile}: ${(result.metafile.outputs[outfile].bytes / 1024).toFixed(0)} KiB${production ? ' (minified)' : ''}`);
}
