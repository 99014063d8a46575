import { GatewayUnreachableError, HoopError } from '../errors';

/** Signing in did not produce a token: the browser login failed, timed out, or its port is taken. */
export class SignInError extends HoopError {
  readonly code = 'sign-in';
}

/** The gateway refused the token on `GET /api/userinfo`; it was not stored. */
export class TokenRejectedError extends HoopError {
  readonly code = 'token-rejected';
  constructor(readonly gatewayName: string, readonly status: number, gatewayMessage: string) {
    super(`${gatewayName} rejected the token (${status}${gatewayMessage ? ` "${gatewayMessage}"` : ''}), so it was not stored. Sign in again, or check that the key belongs to this gateway.`);
  }
}

/** The TLS handshake failed: names the problem and the setting that fixes it. */
export class GatewayCertificateError extends HoopError {
  readonly code = 'gateway-certificate';
}

/** Node/undici certificate error codes and what each means for the user. */
const certificateProblems: Array<[RegExp, string]> = [
  [/UNABLE_TO_GET_ISSUER_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT/, 'its certificate is signed by a CA this computer does not trust'],
  [/CERT_HAS_EXPIRED/, 'its certificate has expired'],
  [/CERT_NOT_YET_VALID/, 'its certificate is not valid yet (check this computer\'s clock)'],
  [/ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME_MISMATCH/, 'its certificate is for another host name'],
];

/**
 * Turns an unreachable-gateway error caused by the certificate into one that names the problem and
 * the setting that fixes it; anything else is returned unchanged.
 */
export function explainCertificateError(error: unknown, gatewayName: string): unknown {
  if (!(error instanceof GatewayUnreachableError)) {
    return error;
  }
  const detail = `${error.detail ?? ''} ${error.message}`;
  const problem = certificateProblems.find(([pattern]) => pattern.test(detail));
  if (!problem) {
    return error;
  }
  return new GatewayCertificateError(
    `Could not verify ${gatewayName} (${error.gatewayUrl}): ${problem[1]}. Set "caFile" for this gateway in "hoop.gateways" to the PEM file of your organisation's CA (the hoop CLI's "tls_ca" is used automatically); only if you must, set "skipTlsVerify": true for it.`,
    error.detail,
  );
}
