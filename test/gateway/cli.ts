import { readFileSync } from 'fs';
import { dirname, isAbsolute, resolve } from 'path';
import { parseArgs } from 'util';
import type { LocalGatewayConfig } from './config';
import { startLocalGateway } from './localGateway';

const USAGE = `Usage: node out/test/gateway/cli.js [--config gateway.json] [--port N] [--api v2|legacy] [--token T]
                                    [--auth-method local|oidc|saml] [--tls]

Starts the local hoop gateway on 127.0.0.1 and prints its URL. The config file is a
LocalGatewayConfig (test/gateway/config.ts) as JSON; relative repository paths are resolved
against the file's folder. Without users, the token "local-dev-token" is an admin.`;

const DEFAULT_TOKEN = 'local-dev-token';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string' },
      port: { type: 'string' },
      api: { type: 'string' },
      token: { type: 'string' },
      'auth-method': { type: 'string' },
      tls: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }

  const config: LocalGatewayConfig = values.config ? loadConfig(values.config) : {};
  if (values.port !== undefined) {
    config.port = Number(values.port);
  }
  if (values.api === 'v2' || values.api === 'legacy') {
    config.api = values.api;
  } else if (values.api !== undefined) {
    throw new Error(`--api must be v2 or legacy, not ${values.api}`);
  }
  const authMethod = values['auth-method'];
  if (authMethod === 'local' || authMethod === 'oidc' || authMethod === 'saml') {
    config.authMethod = authMethod;
  } else if (authMethod !== undefined) {
    throw new Error(`--auth-method must be local, oidc or saml, not ${authMethod}`);
  }
  if (values.tls) {
    config.tls = true;
  }
  const token = values.token ?? (config.users && Object.keys(config.users).length > 0 ? undefined : DEFAULT_TOKEN);
  if (token) {
    config.users = { ...config.users, [token]: { email: 'dev@localhost', name: 'Local Dev', role: 'admin' } };
  }

  const gateway = await startLocalGateway(config);
  process.stdout.write(`hoop local gateway (${gateway.config.api}, version ${gateway.config.version}) listening on ${gateway.url}\n`);
  if (token) {
    process.stdout.write(`admin token: ${token}\n`);
  }
  if (gateway.ca) {
    process.stdout.write(`test CA (trust it to connect): ${gateway.ca.file}\n`);
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      return;
    }
    stopping = true;
    process.stdout.write(`${signal}: stopping, killing running runbooks\n`);
    void gateway.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function loadConfig(file: string): LocalGatewayConfig {
  const config = JSON.parse(readFileSync(file, 'utf8')) as LocalGatewayConfig;
  const base = dirname(resolve(file));
  config.repositories = config.repositories?.map((r) => ({ ...r, path: isAbsolute(r.path) ? r.path : resolve(base, r.path) }));
  return config;
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
