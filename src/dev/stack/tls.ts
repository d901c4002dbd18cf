// A certificate authority and a server certificate for the secured local stack, made with openssl: the CA signs a
// certificate for 127.0.0.1 and localhost (subject alternative names, so hostname verification stays on). The
// private keys stay in a 0700 folder; a run keeps what an earlier run made, so clients that trust the CA keep working.
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../../shared/util/run.ts';

export interface LocalTls {
  readonly dir: string;
  /** PEM certificate of the CA, for clients (kafka.ssl.caFile, elasticsearch.caFile). */
  readonly caFile: string;
  readonly caKeyFile: string;
  /** Server certificate (PEM) and its private key (PKCS#8, unencrypted). */
  readonly certFile: string;
  readonly keyFile: string;
  /** Key, certificate and CA in one PEM file: Kafka's PEM key store. */
  readonly keystoreFile: string;
  /** A client certificate and key the CA signed, for the clients of a broker that requires one (mutual TLS). */
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
}

async function openssl(args: readonly string[], what: string): Promise<void> {
  const r = await run('openssl', args, { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`openssl could not ${what} (exit ${r.code}): ${r.stderr.trim().slice(-500)}`);
}

/** A CA of its own (`name` in its subject) and a server certificate it signed. */
export async function ensureTls(dir: string, name = 'wg-siem local CA'): Promise<LocalTls> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const f = (n: string): string => join(dir, n);
  const t: LocalTls = {
    dir, caFile: f('ca.pem'), caKeyFile: f('ca.key'), certFile: f('server.pem'), keyFile: f('server.key'), keystoreFile: f('server-keystore.pem'),
    clientCertFile: f('client.pem'), clientKeyFile: f('client.key'),
  };
  if (!existsSync(t.caFile) || !existsSync(t.caKeyFile)) {
    await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', t.caKeyFile, '-out', t.caFile, '-days', '825', '-subj', `/CN=${name}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], 'create the CA');
  }
  if (!existsSync(t.keystoreFile)) {
    const ext = f('server.ext');
    await writeFile(ext, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n');
    await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('server.rsa.key'), '-out', f('server.csr'), '-subj', '/CN=localhost'], 'create the server key');
    await openssl(['x509', '-req', '-in', f('server.csr'), '-CA', t.caFile, '-CAkey', t.caKeyFile, '-CAcreateserial', '-out', t.certFile, '-days', '825', '-extfile', ext], 'sign the server certificate');
    // Kafka's PEM key store takes PKCS#8 keys.
    await openssl(['pkcs8', '-topk8', '-nocrypt', '-in', f('server.rsa.key'), '-out', t.keyFile], 'convert the server key');
    await writeFile(t.keystoreFile, [await readFile(t.keyFile, 'utf8'), await readFile(t.certFile, 'utf8'), await readFile(t.caFile, 'utf8')].join(''), { mode: 0o600 });
  }
  if (!existsSync(t.clientKeyFile)) await issueClientCert(t, dir, 'client');
  return t;
}

/** A client certificate signed by the CA of `ca` (mutual TLS): `<name>.pem` and `<name>.key` (PKCS#8) in `dir`. */
export async function issueClientCert(ca: Pick<LocalTls, 'caFile' | 'caKeyFile'>, dir: string, name: string): Promise<{ certFile: string; keyFile: string }> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const f = (n: string): string => join(dir, n);
  const ext = f(`${name}.ext`);
  await writeFile(ext, 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n');
  await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f(`${name}.rsa.key`), '-out', f(`${name}.csr`), '-subj', `/CN=${name}`], 'create a client key');
  await openssl(['x509', '-req', '-in', f(`${name}.csr`), '-CA', ca.caFile, '-CAkey', ca.caKeyFile, '-CAcreateserial', '-out', f(`${name}.pem`), '-days', '825', '-extfile', ext], 'sign a client certificate');
  await openssl(['pkcs8', '-topk8', '-nocrypt', '-in', f(`${name}.rsa.key`), '-out', f(`${name}.key`)], 'convert the client key');
  return { certFile: f(`${name}.pem`), keyFile: f(`${name}.key`) };
}
