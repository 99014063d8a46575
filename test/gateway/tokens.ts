import { createHmac, randomBytes } from 'crypto';

/** A token the gateway issued at sign-in (local login, the stand-in IdP) or when it rotated an expired one. */
export interface IssuedToken {
  /** The `users` key (configured token) of the user it belongs to. */
  userKey: string;
  expiresAt: number;
  /** OIDC logins leave a refresh token with the gateway, so an expired access token is rotated (§4.1); local and SAML ones are not. */
  refreshable: boolean;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** Issued tokens, JWT-shaped like hoop's local-auth tokens (HS256 over `{sub, email, iat, exp}`). */
export class TokenStore {
  private readonly issued = new Map<string, IssuedToken>();
  private readonly secret = randomBytes(32);

  constructor(private readonly lifetimeMs: number) {}

  issue(userKey: string, email: string, refreshable: boolean): string {
    const now = Date.now();
    const expiresAt = now + this.lifetimeMs;
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    // jti keeps two tokens issued in the same second apart.
    const payload = base64url(JSON.stringify({ sub: email, email, iat: Math.floor(now / 1000), exp: Math.floor(expiresAt / 1000), jti: randomBytes(8).toString('hex') }));
    const signature = createHmac('sha256', this.secret).update(`${header}.${payload}`).digest('base64url');
    const token = `${header}.${payload}.${signature}`;
    this.issued.set(token, { userKey, expiresAt, refreshable });
    return token;
  }

  lookup(token: string): IssuedToken | undefined {
    return this.issued.get(token);
  }
}
