/**
 * `npm run fuzz`: the template engine's properties (templateArbitraries.ts) over 100,000 generated templates and
 * inputs, or FUZZ_RUNS of them; FUZZ_SEED replays a run. Exits 1 with fast-check's shrunk counterexample on failure.
 */
import fc from 'fast-check';
import { checkTemplate, inputs, template } from './templateArbitraries';

const runs = Number(process.env.FUZZ_RUNS ?? 100_000);
const seed = process.env.FUZZ_SEED === undefined ? Date.now() | 0 : Number(process.env.FUZZ_SEED);
const started = Date.now();
const result = fc.check(fc.property(template, inputs, checkTemplate), { numRuns: runs, seed });
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (result.failed) {
  console.error(fc.defaultReportMessage(result));
  console.error(`template fuzz: FAILED after ${result.numRuns} of ${runs} cases (seed ${seed}, ${seconds} s)`);
  process.exit(1);
}
console.log(`template fuzz: ${result.numRuns} cases, no untyped error, no disagreement (seed ${seed}, ${seconds} s)`);
