import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TestCertificate {
  key: string;
  cert: string;
}

/** A self-signed certificate made with the openssl CLI, valid for `subjectAltName` (e.g. "IP:127.0.0.1"). */
export function selfSignedCertificate(subjectAltName: string): TestCertificate {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoop-tls-'));
  try {
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=hoop test gateway', '-addext', `subjectAltName=${subjectAltName}`, '-keyout', keyFile, '-out', certFile],
      { stdio: 'ignore' },
    );
    return { key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(certFile, 'utf8') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
