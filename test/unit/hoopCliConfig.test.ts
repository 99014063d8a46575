import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliLoginFor, cliLoginFromConfigToml, cliLoginFromEnvironment, readCliLogins } from '../../src/core/hoopCliConfig';

const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe("the hoop CLI's login", () => {
  it('reads api_url, token, tls_ca (base64 PEM) and skip_tls_verify from config.toml with a TOML parser', async () => {
    const toml = [
      '# written by hoop login',
      "api_url = 'https://hoop.example.com/'",
      'grpc_url = "hoop.example.com:8443"',
      'token = """eyJ.abc.def"""  # multi-line string syntax, which a line regexp misses',
      `tls_ca = "${Buffer.from(pem).toString('base64')}"`,
      'skip_tls_verify = true',
      '',
      '[unknown_table]',
      'x = 1',
    ].join('\n');
    assert.deepEqual(await cliLoginFromConfigToml(toml, '/home/u/.hoop/config.toml'), {
      apiUrl: 'https://hoop.example.com',
      token: 'eyJ.abc.def',
      tlsCa: pem,
      skipTlsVerify: true,
      source: '/home/u/.hoop/config.toml',
    });
  });

  it('needs both api_url and token, and says which file is not TOML', async () => {
    assert.equal(await cliLoginFromConfigToml('api_url = "https://x"\n', 'f'), undefined);
    assert.equal(await cliLoginFromConfigToml('api_url = "https://x"\ntoken = ""\n', 'f'), undefined);
    await assert.rejects(cliLoginFromConfigToml('api_url = https://x\n', '/h/.hoop/config.toml'), /\/h\/\.hoop\/config\.toml is not valid TOML/);
  });

  it('uses the environment only when all three variables are set, like the CLI, with HOOP_TLSCA and HOOP_TLS_SKIP_VERIFY', () => {
    assert.equal(cliLoginFromEnvironment({ HOOP_APIURL: 'http://127.0.0.1:8009', HOOP_TOKEN: 't' }), undefined);
    const login = cliLoginFromEnvironment({ HOOP_APIURL: 'http://127.0.0.1:8009/', HOOP_GRPCURL: '127.0.0.1:8010', HOOP_TOKEN: 't', HOOP_TLSCA: pem, HOOP_TLS_SKIP_VERIFY: 'true' });
    assert.deepEqual({ ...login, source: undefined }, { apiUrl: 'http://127.0.0.1:8009', token: 't', tlsCa: pem, skipTlsVerify: true, source: undefined });
  });

  it('offers a login only to the gateway it was issued for, the environment over the file', async () => {
    const environment = cliLoginFromEnvironment({ HOOP_APIURL: 'http://127.0.0.1:8009', HOOP_GRPCURL: 'g', HOOP_TOKEN: 'env-token' });
    const file = { ...(await cliLoginFromConfigToml('api_url = "https://use.hoop.dev"\ntoken = "file-token"\n', 'file'))!, modifiedAt: 1 };
    assert.equal(cliLoginFor('http://127.0.0.1:8009/', { environment, file })?.token, 'env-token');
    assert.equal(cliLoginFor('https://use.hoop.dev', { environment, file })?.token, 'file-token');
    assert.equal(cliLoginFor('https://evil.example', { environment, file }), undefined);
  });

  it('reads ~/.hoop/config.toml under a given home with its modification time; a broken file is reported, not thrown', async () => {
    const home = await fs.mkdtemp(path.join(os.tmpdir(), 'hoop-home-'));
    try {
      assert.deepEqual(await readCliLogins(home, {}), { environment: undefined });
      await fs.mkdir(path.join(home, '.hoop'));
      const configFile = path.join(home, '.hoop', 'config.toml');
      await fs.writeFile(configFile, 'api_url = "http://127.0.0.1:8009"\ntoken = "tok"\n');
      const logins = await readCliLogins(home, {});
      assert.equal(logins.file?.token, 'tok');
      assert.equal(logins.file?.modifiedAt, (await fs.stat(configFile)).mtimeMs);
      await fs.writeFile(configFile, 'token = = "x"\n');
      assert.match((await readCliLogins(home, {})).problem ?? '', /is not valid TOML/);
    } finally {
      await fs.rm(home, { recursive: true, force: true });
    }
  });
});
