import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/** A throwaway certificate authority and a server certificate it signed, made with the `openssl` CLI. */
export interface TestCertificates {
  /** The CA certificate (PEM) clients must trust. */
  caPem: string;
  /** The same PEM in a file, for settings that take a path (`caFile`, `tls_ca`, NODE_EXTRA_CA_CERTS). */
  caFile: string;
  /** The server's key and certificate (PEM) for 127.0.0.1, ::1 and localhost. */
  key: string;
  cert: string;
  /** Removes the files. */
  cleanup(): void;
}

export function createTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'hoop-gateway-ca-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    openssl('req', '-x509', ...ecKey, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '7', '-subj', '/CN=hoop local gateway test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    openssl('req', ...ecKey, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
    writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n');
    openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '7', '-extfile', 'server.ext');
    rmSync(join(dir, 'ca.key'));
    return {
      caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
      caFile: join(dir, 'ca.pem'),
      key: readFileSync(join(dir, 'server.key'), 'utf8'),
      cert: readFileSync(join(dir, 'server.pem'), 'utf8'),
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`Could not create the local gateway's test CA with openssl: ${stderr || (err as Error).message}`);
  }
}
