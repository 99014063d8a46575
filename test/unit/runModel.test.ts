import { strict as assert } from 'node:assert';
import { Run, stateLabel, type RunRecord } from '../../src/core/run/run';
import { maxHistoryEntries, RunRegistry, type RunHistoryStore } from '../../src/core/run/runRegistry';

function record(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    id: overrides.id ?? `run-${Math.random().toString(36).slice(2)}`,
    runbookName: 'restart.runbook.sh',
    connection: 'bash-local',
    gatewayUrl: 'http://127.0.0.1:8009',
    state: 'running',
    message: 'running',
    startedAt: 1_700_000_000_000,
    ...overrides,
  };
}

function memoryStore(initial?: RunRecord[]): RunHistoryStore & { written: RunRecord[][] } {
  const written: RunRecord[][] = [];
  return {
    written,
    read: () => initial,
    write: async (records) => {
      written.push(JSON.parse(JSON.stringify(records)) as RunRecord[]);
    },
  };
}

describe('Run', () => {
  it('an end is final: a late poll cannot reopen a killed run', () => {
    const run = new Run(record());
    run.update({ state: 'killed', message: 'killed' });
    run.update({ state: 'done', exitCode: 0, message: 'late answer' });
    assert.equal(run.state, 'killed');
    assert.equal(run.data.message, 'killed');
    assert.ok(run.data.endedAt);
  });

  it('keeps the newest output within its cap and counts what it dropped', () => {
    const run = new Run(record(), 10);
    run.appendOutput('0123456789');
    run.appendOutput('abc');
    assert.equal(run.output, '3456789abc');
    assert.equal(run.outputCharsDropped, 3);
    run.replaceOutput('final');
    assert.equal(run.output, 'final');
    assert.equal(run.outputCharsDropped, 0);
  });

  it('labels states the way the status bar and the runs view show them', () => {
    assert.equal(stateLabel(record({ state: 'done', exitCode: 0 })), 'exit 0');
    assert.equal(stateLabel(record({ state: 'failed', exitCode: 3 })), 'exit 3');
    assert.equal(stateLabel(record({ state: 'waitingForReview' })), 'waiting for review');
    assert.equal(stateLabel(record({ state: 'running', detached: true })), 'running (not waiting)');
  });
});

describe('RunRegistry', () => {
  it('keeps history across restarts, newest first, and resumes runs that had a session', async () => {
    const store = memoryStore();
    const registry = new RunRegistry(store);
    registry.add(new Run(record({ id: 'a', state: 'done', exitCode: 0 })));
    registry.add(new Run(record({ id: 'b', state: 'running', sessionId: 's-b' })));
    await registry.flush();
    const reloaded = new RunRegistry(memoryStore(store.written.at(-1)));
    assert.deepEqual(reloaded.all.map((run) => run.id), ['b', 'a']);
    assert.deepEqual(reloaded.unfinishedFromHistory().map((run) => run.id), ['b']);
  });

  it('a run that was being sent when VS Code closed comes back as unknown, never as not run', () => {
    const registry = new RunRegistry(memoryStore([record({ id: 'x', state: 'sending' })]));
    assert.equal(registry.get('x')?.state, 'unknown');
    assert.match(registry.get('x')!.data.message, /may have run/);
  });

  it(`keeps at most ${maxHistoryEntries} runs, dropping the oldest ended ones first`, () => {
    const registry = new RunRegistry(memoryStore());
    registry.add(new Run(record({ id: 'still-going', state: 'running', sessionId: 's' })));
    for (let i = 0; i < maxHistoryEntries + 5; i++) {
      registry.add(new Run(record({ id: `ended-${i}`, state: 'done' })));
    }
    assert.equal(registry.all.length, maxHistoryEntries);
    assert.ok(registry.get('still-going'));
    assert.equal(registry.get('ended-0'), undefined);
  });

  it('ignores records it cannot read instead of failing to start', () => {
    const registry = new RunRegistry(memoryStore([{ nonsense: true } as unknown as RunRecord, record({ id: 'ok', state: 'done' })]));
    assert.deepEqual(registry.all.map((run) => run.id), ['ok']);
  });

  it('Clear History keeps the runs still going', () => {
    const registry = new RunRegistry(memoryStore());
    registry.add(new Run(record({ id: 'done', state: 'done' })));
    registry.add(new Run(record({ id: 'going', state: 'running' })));
    registry.clearEnded();
    assert.deepEqual(registry.all.map((run) => run.id), ['going']);
  });

  it('finds the newest rerunnable run and the runs of a batch', () => {
    const registry = new RunRegistry(memoryStore());
    const recipe = { uri: 'file:///w/a.runbook.sh', connection: 'c', parameters: {}, metadata: {} };
    registry.add(new Run(record({ id: 'old', state: 'done', recipe })));
    registry.add(new Run(record({ id: 'b1', state: 'done', batchId: 'B' })));
    registry.add(new Run(record({ id: 'b2', state: 'failed', batchId: 'B' })));
    assert.equal(registry.lastRerunnable?.id, 'old');
    assert.deepEqual(registry.batch('B').map((run) => run.id).sort(), ['b1', 'b2']);
  });
});
