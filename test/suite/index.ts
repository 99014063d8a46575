// Entry point of the extension-host suite (the @vscode/test-electron contract: export run()).
// Runs in code-server's extension host, or in desktop VS Code through @vscode/test-electron.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

// activation proves the extension started by itself, so it runs before any file executes a command;
// tokenAtRest checks what every run before it left behind, so it runs last.
const first = 'activation.test.js';
const last = 'tokenAtRest.test.js';

export function run(): Promise<void> {
  // HOOP_SUITE_GREP runs only the tests whose titles match, while working on them.
  // As in test/run.mjs: a skipped or .only test in the extension host fails the run instead of passing silently.
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec', forbidOnly: true, forbidPending: true, grep: process.env.HOOP_SUITE_GREP });
  const others = fs
    .readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js') && name !== first && name !== last)
    .sort();
  for (const file of [first, ...others, last]) {
    mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} extension-host test(s) failed`)) : resolve()));
  });
}
