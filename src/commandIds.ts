/** Every contributed command id, in one place; test/unit/manifest.test.ts checks package.json against it. */
export const commandIds = {
  runRunbook: 'hoop.runRunbook',
  runRunbookWithEnvironment: 'hoop.runRunbookWithEnvironment',
  signIn: 'hoop.signIn',
  gatewayMenu: 'hoop.gatewayMenu',
  switchGateway: 'hoop.switchGateway',
  setToken: 'hoop.setToken',
  clearToken: 'hoop.clearToken',
  showTranscript: 'hoop.showTranscript',
  forgetRemembered: 'hoop.forgetRemembered',
  runOnSeveralConnections: 'hoop.runOnSeveralConnections',
  rerunLast: 'hoop.rerunLast',
  rerun: 'hoop.rerun',
  rerunWithChanges: 'hoop.rerunWithChanges',
  stopRun: 'hoop.stopRun',
  stopWaiting: 'hoop.stopWaiting',
  executeApproved: 'hoop.executeApproved',
  openRunOutput: 'hoop.openRunOutput',
  openSession: 'hoop.openSession',
  copySessionId: 'hoop.copySessionId',
  clearRunHistory: 'hoop.clearRunHistory',
} as const;

export type CommandId = (typeof commandIds)[keyof typeof commandIds];
