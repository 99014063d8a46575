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
  cancelRun: 'hoop.cancelRun',
  forgetRemembered: 'hoop.forgetRemembered',
} as const;

export type CommandId = (typeof commandIds)[keyof typeof commandIds];
