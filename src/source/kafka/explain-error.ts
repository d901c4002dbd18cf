// What to fix when Kafka refuses wg-siem, in words: kafkajs reports a refused password, an untrusted certificate or a
// missing ACL in its own terms (a missing group ACL even as "Failed to find group coordinator"). The rows are tried in
// order; the first that matches says what to change. Never includes a secret: only names come from the configuration.
import type { Config } from '../../shared/config/keys.ts';
import { isRefusedClientCertificate, isUntrustedCertificate } from '../../shared/net/tls-errors.ts';

type Names = Pick<Config, 'kafka.sasl.username' | 'kafka.sasl.mechanism' | 'kafka.groupId' | 'kafka.correlationGroupId' | 'kafka.topics' | 'kafka.ssl.enabled'>;

interface Row {
  readonly match: (e: { name: string; type: string; message: string; code: string }) => boolean;
  readonly explain: (n: Names, message: string) => string;
}

const user = (n: Names): string => (n['kafka.sasl.username'] ? `user "${n['kafka.sasl.username']}"` : 'the client (no kafka.sasl.username)');

const ROWS: readonly Row[] = [
  {
    match: (e) => e.name === 'KafkaJSSASLAuthenticationError',
    explain: (n) => `Kafka refused the credentials of ${user(n)} (${n['kafka.sasl.mechanism'] ?? 'no SASL mechanism'}): check kafka.sasl.username and kafka.sasl.password `
      + '(WG_SIEM_KAFKA_SASL_PASSWORD or WG_SIEM_KAFKA_SASL_PASSWORD_FILE), and that the user exists for this mechanism',
  },
  {
    // kafkajs names its errors KafkaJS…: an Elasticsearch client's certificate error is not Kafka's to explain.
    match: (e) => e.name.startsWith('KafkaJS') && isUntrustedCertificate(e.message, e.code),
    explain: () => 'the Kafka broker\'s TLS certificate is not trusted: set kafka.ssl.caFile (WG_SIEM_KAFKA_SSL_CA_FILE) to the CA that signed it, '
      + 'and connect by a name or address the certificate lists; keep kafka.ssl.rejectUnauthorized on',
  },
  {
    // The broker ended the TLS handshake over the client's certificate (none, or one its CA did not sign).
    match: (e) => e.name.startsWith('KafkaJS') && isRefusedClientCertificate(e.message),
    explain: () => 'the Kafka broker requires a client certificate its CA signed (mutual TLS): set kafka.ssl.certFile and kafka.ssl.keyFile '
      + '(WG_SIEM_KAFKA_SSL_CERT_FILE, WG_SIEM_KAFKA_SSL_KEY_FILE)',
  },
  {
    match: (e) => e.name === 'KafkaJSGroupCoordinatorNotFound' || e.type === 'GROUP_AUTHORIZATION_FAILED',
    explain: (n) => `Kafka gave no coordinator for the consumer group: when the cluster uses ACLs, ${user(n)} needs READ and DESCRIBE on groups `
      + `"${n['kafka.groupId']}" (kafka.groupId) and "${n['kafka.correlationGroupId']}" (kafka.correlationGroupId)`,
  },
  {
    match: (e) => e.type === 'TOPIC_AUTHORIZATION_FAILED',
    explain: (n) => `Kafka denied ${user(n)} a topic: it needs READ and DESCRIBE on ${n['kafka.topics'].join(', ')} (kafka.topics), WRITE and DESCRIBE on `
      + 'kafka.dlqTopic, and READ, WRITE and DESCRIBE on kafka.correlationTopic (or CREATE, if wg-siem is to create them)',
  },
  {
    match: (e) => e.type === 'CLUSTER_AUTHORIZATION_FAILED',
    explain: (n) => `Kafka denied ${user(n)} a cluster operation: wg-siem needs none when its topics exist; create them as an administrator`,
  },
  {
    match: (e) => e.type === 'UNSUPPORTED_SASL_MECHANISM' || /unsupported sasl mechanism/i.test(e.message),
    explain: (n) => `the broker does not enable SASL mechanism ${n['kafka.sasl.mechanism'] ?? '(none)'} on this listener: choose one it lists in sasl.enabled.mechanisms (kafka.sasl.mechanism)`,
  },
];

export function explainKafkaError(err: unknown, n: Names): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const text = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  const o = err as { type?: unknown; code?: unknown; cause?: { message?: unknown; code?: unknown } };
  const e = { name: err.name, type: text(o.type), message: `${err.message} ${text(o.cause?.message)}`, code: text(o.code) || text(o.cause?.code) };
  const row = ROWS.find((r) => r.match(e));
  return row?.explain(n, e.message);
}
