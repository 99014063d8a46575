import fc from 'fast-check';
import { checkTemplate, inputs, template } from '../fuzz/templateArbitraries';

describe('template engine properties (fast-check; `npm run fuzz` runs 100,000 cases)', () => {
  it('answers every generated template and input with output or a typed error, and agrees with discovery', () => {
    fc.assert(fc.property(template, inputs, checkTemplate), { numRuns: 3000 });
  });
});
