// The extension's run path without VS Code: what src/run/runLifecycle.ts `send` does with the core
// modules (exec, find the session, stream its output through the masker into the Run, apply the
// answer), plus the run document's re-render at most every 250 ms as src/views/runDocuments.ts does.
import { randomUUID } from 'node:crypto';
import type { GatewayClient } from '../../src/core/gatewayClient';
import { applyExecOutcome, followUntilDone, locateSession, streamLiveOutput } from '../../src/core/run/follow';
import { createOutputMasker } from '../../src/core/run/outputMasker';
import { Run } from '../../src/core/run/run';
import { renderRunDocument } from '../../src/core/run/runPresentation';
import { interpretExecResponse } from '../../src/core/runOutcome';
import { buildExecBody, secretValuesOf, type RunRequest } from '../../src/core/runRequest';

const documentRefreshMs = 250;

export function newRun(request: RunRequest): Run {
  return new Run({ id: randomUUID(), runbookName: request.fileName, connection: request.connection, gatewayUrl: request.gatewayUrl, state: 'sending', message: '', startedAt: Date.now() });
}

/** Runs `request` on `run` until it ends. `onAnswer` is called when the exec answer arrives, before it replaces the streamed output. */
export async function driveRun(client: GatewayClient, request: RunRequest, run: Run, onAnswer?: () => void): Promise<void> {
  const masker = createOutputMasker(secretValuesOf(request));
  const correlationId = randomUUID();
  let pendingRender: NodeJS.Timeout | undefined;
  const render = () => {
    pendingRender = undefined;
    renderRunDocument(run);
  };
  const appended = run.onDidAppendOutput(() => (pendingRender ??= setTimeout(render, documentRefreshMs)));
  const live = new AbortController();
  try {
    const exec = client.exec(request.route, buildExecBody({ ...request, correlationId }), undefined, masker.answerSink());
    void locateSession(client, correlationId, exec, { signal: live.signal }).then((sessionId) => {
      if (sessionId && !run.ended) {
        run.update({ sessionId, state: 'running' });
        void streamLiveOutput(client, run, sessionId, masker, live.signal);
      }
    });
    const answer = await exec.finally(() => live.abort());
    onAnswer?.();
    const next = applyExecOutcome(run, interpretExecResponse(answer.status, answer.body, answer.text), masker, { charsDropped: answer.outputCharsDropped });
    if (next === 'follow') {
      await followUntilDone(client, run, run.data.sessionId!, { signal: new AbortController().signal, masker });
    }
  } finally {
    appended.dispose();
    clearTimeout(pendingRender);
    renderRunDocument(run);
  }
}
