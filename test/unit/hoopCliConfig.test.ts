import { strict as assert } from 'node:assert';
import { credentialsFromConfigToml, credentialsFromEnvironment, tokenForGateway } from '../../src/core/hoopCliConfig';

describe("the hoop CLI's credentials", () => {
  it('reads token and api_url from ~/.hoop/config.toml', () => {
    const toml = 'api_url = "https://hoop.example.com/"\ngrpc_url = "hoop.example.com:8443"\ntoken = "eyJ.abc.def"  # from hoop login\nskip_tls_verify = false\n';
    assert.deepEqual(credentialsFromConfigToml(toml, '~/.hoop/config.toml'), { apiUrl: 'https://hoop.example.com', token: 'eyJ.abc.def', source: '~/.hoop/config.toml' });
    assert.equal(credentialsFromConfigToml('api_url = "https://x"\n', 'f'), undefined);
  });

  it('uses the environment only when all three variables are set, like the CLI', () => {
    assert.equal(credentialsFromEnvironment({ HOOP_APIURL: 'http://127.0.0.1:8009', HOOP_TOKEN: 't' }), undefined);
    assert.equal(credentialsFromEnvironment({ HOOP_APIURL: 'http://127.0.0.1:8009', HOOP_GRPCURL: '127.0.0.1:8010', HOOP_TOKEN: 't' })?.token, 't');
  });

  it('offers a token only to the gateway it was issued for', () => {
    const env = credentialsFromEnvironment({ HOOP_APIURL: 'http://127.0.0.1:8009', HOOP_GRPCURL: 'g', HOOP_TOKEN: 'env-token' });
    const file = credentialsFromConfigToml('api_url = "https://use.hoop.dev"\ntoken = "file-token"\n', 'file');
    assert.equal(tokenForGateway('http://127.0.0.1:8009/', [env, file])?.token, 'env-token');
    assert.equal(tokenForGateway('https://use.hoop.dev', [env, file])?.token, 'file-token');
    assert.equal(tokenForGateway('https://evil.example', [env, file]), undefined);
  });
});
