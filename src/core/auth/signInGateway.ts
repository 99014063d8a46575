import type { GatewayClient } from '../gatewayClient';
import type { SignInGateway } from './signIn';

/** Signing in's gateway calls on GatewayClient: unauthenticated until the new token is checked with /api/userinfo. */
export function signInGatewayFor(clientFor: (token?: string) => GatewayClient): SignInGateway {
  const anonymous = clientFor();
  return {
    authMethod: async (signal) => (await anonymous.publicServerInfo(signal)).auth_method,
    browserLoginUrl: (method, signal) => anonymous.loginUrl(method, signal),
    passwordLogin: (email, password, signal) => anonymous.localLogin(email, password, signal),
    whoAmI: async (token, signal) => {
      const user = await clientFor(token).userInfo(signal);
      return { name: user.name || user.email, email: user.email, role: user.role ?? 'standard' };
    },
  };
}
