// The one table of configuration keys. The ajv schema, the environment-variable names, the typed Config,
// the redaction list of the logger and docs/configuration.md are all derived from it, so a key cannot exist
// in one of them and be missing from another.

export type KeyKind = 'string' | 'int' | 'bool' | 'list' | 'enum';

export interface KeyDef {
  readonly kind: KeyKind;
  readonly env: string;
  readonly default: string | number | boolean | readonly string[] | null;
  readonly doc: string;
  readonly values?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  /** Never logged, never printed; also read from `<ENV>_FILE`. */
  readonly secret?: boolean;
  /** A format ajv checks (uri, ...). */
  readonly format?: string;
  /**
   * Unset, the value is derived from the namespace (shared/config/names.ts) and this says how, for the docs: such a key
   * is never null in the loaded Config.
   */
  readonly derived?: string;
}

export const CONFIG_KEYS = {
  // Kafka
  'kafka.brokers': {
    kind: 'list', env: 'WG_SIEM_KAFKA_BROKERS', default: null,
    doc: 'Kafka bootstrap brokers, comma-separated host:port. Unset: the local stack started by `wg-siem stack up`.',
  },
  'kafka.clientId': { kind: 'string', env: 'WG_SIEM_KAFKA_CLIENT_ID', default: 'wg-siem', doc: 'Kafka client id.' },
  'kafka.groupId': {
    kind: 'string', env: 'WG_SIEM_KAFKA_GROUP_ID', default: null, derived: '`wg-siem-<namespace>` (`wg-siem` in the `default` namespace)',
    doc: 'Consumer group of `wg-siem run` on kafka.topics; one per deployment (docs/cluster.md).',
  },
  'kafka.topics': {
    kind: 'list', env: 'WG_SIEM_KAFKA_TOPICS', default: ['wireguard.logs'],
    doc: 'Topics carrying raw WireGuard log events.',
  },
  'kafka.dlqTopic': {
    kind: 'string', env: 'WG_SIEM_KAFKA_DLQ_TOPIC', default: null, derived: '`wireguard.logs.dlq.<namespace>` (`wireguard.logs.dlq` in the `default` namespace)',
    doc: 'Dead-letter topic: original bytes plus reason and source coordinates in headers. One per deployment, so that `dlq replay` replays only its own.',
  },
  'kafka.compression': {
    kind: 'enum', env: 'WG_SIEM_KAFKA_COMPRESSION', default: 'lz4', values: ['none', 'gzip', 'snappy', 'lz4', 'zstd'],
    doc: 'Compression of what wg-siem produces (`ship`, dead letters, intermediate topics). Consuming handles all of them.',
  },
  'kafka.ssl.enabled': { kind: 'bool', env: 'WG_SIEM_KAFKA_SSL', default: false, doc: 'Connect to Kafka over TLS.' },
  'kafka.ssl.caFile': { kind: 'string', env: 'WG_SIEM_KAFKA_SSL_CA_FILE', default: null, doc: 'PEM file of the CA that signed the brokers\' certificates.' },
  'kafka.ssl.certFile': { kind: 'string', env: 'WG_SIEM_KAFKA_SSL_CERT_FILE', default: null, doc: 'PEM client certificate (mutual TLS).' },
  'kafka.ssl.keyFile': { kind: 'string', env: 'WG_SIEM_KAFKA_SSL_KEY_FILE', default: null, doc: 'PEM private key of the client certificate.' },
  'kafka.ssl.rejectUnauthorized': {
    kind: 'bool', env: 'WG_SIEM_KAFKA_SSL_VERIFY', default: true,
    doc: 'Verify the brokers\' certificates and host names. Turning this off is for throw-away test clusters only.',
  },
  'kafka.sasl.mechanism': {
    kind: 'enum', env: 'WG_SIEM_KAFKA_SASL_MECHANISM', default: null, values: ['plain', 'scram-sha-256', 'scram-sha-512'],
    doc: 'SASL mechanism; unset means no SASL.',
  },
  'kafka.sasl.username': { kind: 'string', env: 'WG_SIEM_KAFKA_SASL_USERNAME', default: null, doc: 'SASL user name.' },
  'kafka.sasl.password': {
    kind: 'string', env: 'WG_SIEM_KAFKA_SASL_PASSWORD', default: null, secret: true,
    doc: 'SASL password (or WG_SIEM_KAFKA_SASL_PASSWORD_FILE naming a file that holds it).',
  },

  // Elasticsearch
  'elasticsearch.nodes': {
    kind: 'list', env: 'WG_SIEM_ES_NODES', default: null,
    doc: 'Elasticsearch URLs, comma-separated. Unset: the local stack started by `wg-siem stack up`.',
  },
  'elasticsearch.apiKey': {
    kind: 'string', env: 'WG_SIEM_ES_API_KEY', default: null, secret: true,
    doc: 'Encoded API key (or WG_SIEM_ES_API_KEY_FILE). Takes precedence over user name and password.',
  },
  'elasticsearch.username': { kind: 'string', env: 'WG_SIEM_ES_USERNAME', default: null, doc: 'Basic-auth user name.' },
  'elasticsearch.password': {
    kind: 'string', env: 'WG_SIEM_ES_PASSWORD', default: null, secret: true,
    doc: 'Basic-auth password (or WG_SIEM_ES_PASSWORD_FILE).',
  },
  'elasticsearch.caFile': { kind: 'string', env: 'WG_SIEM_ES_CA_FILE', default: null, doc: 'PEM file of the CA of the Elasticsearch HTTP certificate.' },
  'elasticsearch.caFingerprint': {
    kind: 'string', env: 'WG_SIEM_ES_CA_FINGERPRINT', default: null,
    doc: 'SHA-256 fingerprint of the CA certificate (hex, colons optional), as Elasticsearch prints at first start.',
  },
  'elasticsearch.tlsVerify': {
    kind: 'bool', env: 'WG_SIEM_ES_TLS_VERIFY', default: true,
    doc: 'Verify the Elasticsearch certificate. Turning this off is for throw-away test clusters only.',
  },
  'elasticsearch.requestTimeoutMs': {
    kind: 'int', env: 'WG_SIEM_ES_REQUEST_TIMEOUT_MS', default: 30000, min: 1000, max: 600000,
    doc: 'Timeout of one request to Elasticsearch.',
  },

  'elasticsearch.retentionDays': {
    kind: 'int', env: 'WG_SIEM_RETENTION_DAYS', default: 90, min: 1, max: 36500,
    doc: 'How long events and alerts are kept: an ILM policy where the server has ILM, else the data-stream lifecycle, else nothing (reported by `setup`).',
  },

  // Where documents go
  'namespace': {
    kind: 'string', env: 'WG_SIEM_NAMESPACE', default: 'default',
    doc: 'Data-stream namespace: events go to logs-wireguard.log-<namespace>, alerts to logs-wireguard.alert-<namespace>. It names the deployment: the raw and correlation consumer groups, the intermediate and dead-letter topics and the correlation state index (wg-siem-state-<namespace>) derive from it unless set (docs/cluster.md).',
  },

  // Pipeline
  'pipeline.batchSize': {
    kind: 'int', env: 'WG_SIEM_BATCH_SIZE', default: 2000, min: 1, max: 100000,
    doc: 'Most documents in one bulk request.',
  },
  'pipeline.bulkMaxBytes': {
    kind: 'int', env: 'WG_SIEM_BULK_MAX_BYTES', default: 5242880, min: 65536, max: 104857600,
    doc: 'Most bytes in one bulk request body.',
  },
  'pipeline.bulkConcurrency': {
    kind: 'int', env: 'WG_SIEM_BULK_CONCURRENCY', default: 2, min: 1, max: 32,
    doc: 'Bulk requests in flight at once.',
  },
  'pipeline.maxRecordBytes': {
    kind: 'int', env: 'WG_SIEM_MAX_RECORD_BYTES', default: 1048576, min: 1024, max: 67108864,
    doc: 'A Kafka record larger than this is dead-lettered unparsed (no WireGuard line is that long).',
  },
  'pipeline.concurrency': {
    kind: 'int', env: 'WG_SIEM_PARTITION_CONCURRENCY', default: 2, min: 1, max: 64,
    doc: 'Partitions processed at once (each runs its own bulk requests).',
  },
  'pipeline.fetchMaxBytesPerPartition': {
    kind: 'int', env: 'WG_SIEM_FETCH_MAX_BYTES_PER_PARTITION', default: 1048576, min: 16384, max: 67108864,
    doc: 'Most (compressed) bytes fetched from one partition of kafka.topics at once. With pipeline.fetchMaxBytes it bounds what one fetch brings into memory: a fetch\'s records are held until all of them are indexed (their documents only a slice of pipeline.batchSize × pipeline.bulkConcurrency at a time).',
  },
  'pipeline.fetchMaxBytes': {
    kind: 'int', env: 'WG_SIEM_FETCH_MAX_BYTES', default: 2097152, min: 16384, max: 268435456,
    doc: 'Most (compressed) bytes of one fetch, all partitions together (at least pipeline.fetchMaxBytesPerPartition). It bounds the raw records held at once; their documents are built a slice at a time (see pipeline.fetchMaxBytesPerPartition).',
  },
  'pipeline.fetchMinBytes': {
    kind: 'int', env: 'WG_SIEM_FETCH_MIN_BYTES', default: 1, min: 1, max: 67108864,
    doc: 'The broker answers a fetch once it has this many bytes (or pipeline.fetchMaxWaitMs passed): more means fewer, larger batches on a quiet topic, at the cost of latency.',
  },
  'pipeline.fetchMaxWaitMs': {
    kind: 'int', env: 'WG_SIEM_FETCH_MAX_WAIT_MS', default: 500, min: 10, max: 30000,
    doc: 'Longest a fetch waits for pipeline.fetchMinBytes on a quiet topic; also bounds how long a stop waits for the fetch in progress.',
  },
  'pipeline.shutdownTimeoutMs': {
    kind: 'int', env: 'WG_SIEM_SHUTDOWN_TIMEOUT_MS', default: 30000, min: 1000, max: 600000,
    doc: 'On SIGTERM/SIGINT: how long the in-flight batch may take to finish and commit before the process exits anyway (uncommitted records are delivered again).',
  },
  'pipeline.unparsed': {
    kind: 'enum', env: 'WG_SIEM_UNPARSED', default: 'drop', values: ['drop', 'index'],
    doc: 'Lines that are not WireGuard: `drop` (counted in a metric) or `index` into the wireguard.unparsed dataset.',
  },
  'pipeline.preserveOriginalEvent': {
    kind: 'bool', env: 'WG_SIEM_PRESERVE_ORIGINAL_EVENT', default: false,
    doc: 'Keep each line\'s raw text in event.original and tag the event `preserve_original_event` (the convention of Elastic\'s integration packages). Off: message holds the text and the raw line is not stored again. Dead letters keep the original bytes either way.',
  },

  // Correlation and alerts
  'correlate.enabled': {
    kind: 'bool', env: 'WG_SIEM_CORRELATE', default: true,
    doc: 'Run the rules of alerts/ in this instance: recognised events are re-keyed by host onto kafka.correlationTopic and correlated from there.',
  },
  'correlate.rulesDir': {
    kind: 'string', env: 'WG_SIEM_RULES_DIR', default: null,
    doc: 'Folder of rule files (*.yaml, *.yml, *.json). Unset: the rules shipped in the package\'s alerts/ folder.',
  },
  'correlate.maxGroupsPerRule': {
    kind: 'int', env: 'WG_SIEM_CORRELATE_MAX_GROUPS', default: 20000, min: 100, max: 10000000,
    doc: 'Live correlation groups (e.g. source addresses) per rule and per partition; beyond it the least recently active group is evicted (counted in wg_siem_correlation_groups_evicted_total). Bounds memory under a flood of spoofed sources.',
  },
  'correlate.snapshotIntervalMs': {
    kind: 'int', env: 'WG_SIEM_CORRELATE_SNAPSHOT_MS', default: 5000, min: 100, max: 3600000,
    doc: 'How often each partition\'s correlation state is saved to Elasticsearch (and its offset committed): the most work replayed after a crash.',
  },
  'correlate.fetchMaxBytes': {
    kind: 'int', env: 'WG_SIEM_CORRELATE_FETCH_BYTES', default: 1048576, min: 65536, max: 67108864,
    doc: 'Most (compressed) bytes fetched per partition of the intermediate topic at once. Compressed events expand about tenfold in memory, so this is what bounds the stage\'s buffers during a flood.',
  },
  'correlate.schedule': {
    kind: 'string', env: 'WG_SIEM_CORRELATE_SCHEDULE', default: '*/5 * * * * *', format: 'cron',
    doc: 'node-cron expression (seconds field first) of the clock-driven evaluation: staleness, absences, resolution after the quiet period.',
  },
  'kafka.correlationTopic': {
    kind: 'string', env: 'WG_SIEM_KAFKA_CORRELATION_TOPIC', default: null, derived: '`wireguard.correlate.<namespace>` (`wireguard.correlate` in the `default` namespace)',
    doc: 'Intermediate topic: recognised events keyed by host name, so that each instance owns whole hosts. One per deployment: its records carry the namespace (header `wg-siem.namespace`) and `run` refuses to start on a topic whose newest records belong to another namespace.',
  },
  'kafka.correlationGroupId': {
    kind: 'string', env: 'WG_SIEM_KAFKA_CORRELATION_GROUP_ID', default: null, derived: '`wg-siem-correlate-<namespace>` (`wg-siem-correlate` in the `default` namespace)',
    doc: 'Consumer group that correlates the intermediate topic.',
  },
  'kafka.correlationCompression': {
    kind: 'enum', env: 'WG_SIEM_KAFKA_CORRELATION_COMPRESSION', default: 'none', values: ['none', 'gzip', 'snappy', 'lz4', 'zstd'],
    doc: 'Compression of the intermediate topic. None by default: it is wg-siem\'s own short-lived topic, and decompressing a flood costs the correlation stage memory (with lz4, about 200 MB more peak RSS in the 1,000,000-source flood test).',
  },
  'kafka.sessionTimeoutMs': {
    kind: 'int', env: 'WG_SIEM_KAFKA_SESSION_TIMEOUT_MS', default: 30000, min: 6000, max: 300000,
    doc: 'Consumer-group session timeout: how soon the partitions of an instance that died move to the others.',
  },
  'kafka.correlationPartitions': {
    kind: 'int', env: 'WG_SIEM_KAFKA_CORRELATION_PARTITIONS', default: 6, min: 1, max: 1024,
    doc: 'Partitions of the intermediate topic when wg-siem creates it: the most instances that can share correlation.',
  },

  // Paging
  'notify.pagerduty.routingKey': {
    kind: 'string', env: 'WG_SIEM_PAGERDUTY_ROUTING_KEY', default: null, secret: true,
    doc: 'PagerDuty Events API v2 integration (routing) key (or WG_SIEM_PAGERDUTY_ROUTING_KEY_FILE). Unset: no PagerDuty pages.',
  },
  'notify.pagerduty.url': {
    kind: 'string', env: 'WG_SIEM_PAGERDUTY_URL', default: 'https://events.pagerduty.com/v2/enqueue', format: 'uri',
    doc: 'Events API v2 endpoint (any compatible receiver).',
  },
  'notify.webhook.url': {
    kind: 'string', env: 'WG_SIEM_WEBHOOK_URL', default: null, format: 'uri',
    doc: 'Generic JSON webhook receiving every trigger and resolve. Unset: none.',
  },
  'notify.webhook.token': {
    kind: 'string', env: 'WG_SIEM_WEBHOOK_TOKEN', default: null, secret: true,
    doc: 'Bearer token sent to the webhook (or WG_SIEM_WEBHOOK_TOKEN_FILE).',
  },
  'notify.alertmanager.url': {
    kind: 'string', env: 'WG_SIEM_ALERTMANAGER_URL', default: null, format: 'uri',
    doc: 'Prometheus Alertmanager base URL (e.g. http://alertmanager:9093): every trigger and resolve is posted to its /api/v2/alerts, open alerts re-posted every notify.alertmanager.repeatMs. Unset: none.',
  },
  'notify.alertmanager.repeatMs': {
    kind: 'int', env: 'WG_SIEM_ALERTMANAGER_REPEAT_MS', default: 60000, min: 1000, max: 3600000,
    doc: 'How often open alerts are re-posted to Alertmanager; each post says the alert ends three such intervals later unless posted again, so Alertmanager resolves alerts of an instance that stopped for good.',
  },
  'notify.alertmanager.username': {
    kind: 'string', env: 'WG_SIEM_ALERTMANAGER_USERNAME', default: null,
    doc: 'Basic-auth user name for Alertmanager (or a proxy in front of it).',
  },
  'notify.alertmanager.password': {
    kind: 'string', env: 'WG_SIEM_ALERTMANAGER_PASSWORD', default: null, secret: true,
    doc: 'Basic-auth password for Alertmanager (or WG_SIEM_ALERTMANAGER_PASSWORD_FILE).',
  },
  'notify.digestSchedule': {
    kind: 'string', env: 'WG_SIEM_NOTIFY_DIGEST_SCHEDULE', default: null, format: 'cron',
    doc: 'node-cron expression (seconds field optional, the process\'s local time zone) of a digest of the pages still open, posted to the webhook (notify.webhook.url), e.g. `0 8 * * *` for every day at 08:00. Each instance lists the alerts of the correlation partitions it owns and sends nothing when none is open. Unset: no digest.',
  },
  'notify.minSeverity': {
    kind: 'enum', env: 'WG_SIEM_NOTIFY_MIN_SEVERITY', default: 'medium', values: ['low', 'medium', 'high', 'critical'],
    doc: 'Alerts below this severity are stored but not paged.',
  },
  'notify.stormMaxPages': {
    kind: 'int', env: 'WG_SIEM_NOTIFY_STORM_MAX', default: 10, min: 1, max: 100000,
    doc: 'Most alert pages per notify.stormWindowMs; beyond it the rest of the window is summarised in one aggregated page.',
  },
  'notify.stormWindowMs': {
    kind: 'int', env: 'WG_SIEM_NOTIFY_STORM_WINDOW_MS', default: 600000, min: 1000, max: 86400000,
    doc: 'Window of the global page cap.',
  },
  'notify.maxAttempts': {
    kind: 'int', env: 'WG_SIEM_NOTIFY_MAX_ATTEMPTS', default: 8, min: 1, max: 100,
    doc: 'Attempts per page on timeouts, 429 and 5xx answers, with exponential backoff (Retry-After honoured).',
  },
  'notify.timeoutMs': {
    kind: 'int', env: 'WG_SIEM_NOTIFY_TIMEOUT_MS', default: 10000, min: 100, max: 120000,
    doc: 'Timeout of one paging request.',
  },
  'notify.queueSize': {
    kind: 'int', env: 'WG_SIEM_NOTIFY_QUEUE', default: 1000, min: 1, max: 1000000,
    doc: 'Pages waiting to be sent; when full, the oldest waiting trigger is folded into the aggregated page.',
  },

  // Kibana
  'kibana.url': {
    kind: 'string', env: 'WG_SIEM_KIBANA_URL', default: null, format: 'uri',
    doc: 'Kibana base URL: `setup --kibana` imports the dashboards there, and pages link to the alert in Discover.',
  },
  'kibana.apiKey': {
    kind: 'string', env: 'WG_SIEM_KIBANA_API_KEY', default: null, secret: true,
    doc: 'Encoded API key for Kibana (or WG_SIEM_KIBANA_API_KEY_FILE). Unset: elasticsearch.apiKey, else elasticsearch.username and password.',
  },
  'kibana.space': {
    kind: 'string', env: 'WG_SIEM_KIBANA_SPACE', default: null,
    doc: 'Kibana space to import the dashboards into. Unset: the default space.',
  },
  'kibana.readyTimeoutMs': {
    kind: 'int', env: 'WG_SIEM_KIBANA_READY_TIMEOUT_MS', default: 180000, min: 0, max: 3600000,
    doc: 'How long `setup --kibana` waits for Kibana to report itself available (it starts slower than Elasticsearch).',
  },

  // Parsing
  'parse.timezone': {
    kind: 'string', env: 'WG_SIEM_TIMEZONE', default: 'UTC',
    doc: 'IANA time zone for timestamps that carry none (syslog, wireguard-go, dmesg -T).',
  },

  // Enrichment
  'peers.inventoryFile': {
    kind: 'string', env: 'WG_SIEM_PEERS_FILE', default: null,
    doc: 'YAML/JSON peer inventory mapping public keys to names, owners and devices, and hosts to their interfaces\' keys (see README).',
  },
  'peers.maxKnown': {
    kind: 'int', env: 'WG_SIEM_PEERS_MAX', default: 100000, min: 10, max: 10000000,
    doc: 'Peers and endpoints remembered from the events per partition (least recently seen forgotten first).',
  },

  // Peer-state collector (`wg-siem collect`, on the WireGuard host)
  'collect.command': {
    kind: 'string', env: 'WG_SIEM_COLLECT_COMMAND', default: 'wg show all dump',
    doc: 'Command that prints `wg show all dump` (split on spaces, run without a shell). Its private and preshared keys are dropped as the output is read and never stored, sent or logged.',
  },
  'collect.intervalMs': {
    kind: 'int', env: 'WG_SIEM_COLLECT_INTERVAL_MS', default: 30000, min: 1000, max: 3600000,
    doc: 'Time between two polls; each poll publishes one snapshot record per host to the first of kafka.topics, keyed by host.',
  },
  'collect.host': {
    kind: 'string', env: 'WG_SIEM_COLLECT_HOST', default: null,
    doc: 'Host name the snapshots carry (host.name). Unset: the machine\'s host name. Must match the host name of the host\'s log lines, so both correlate.',
  },
  'collect.staleAfterSeconds': {
    kind: 'int', env: 'WG_SIEM_COLLECT_STALE_AFTER_S', default: 300, min: 10, max: 86400,
    doc: 'A peer whose latest handshake is older than this is reported once as stale (session keys expire 180 s after a handshake).',
  },
  'collect.timeoutMs': {
    kind: 'int', env: 'WG_SIEM_COLLECT_TIMEOUT_MS', default: 10000, min: 100, max: 600000,
    doc: 'A poll whose command has not finished by then is killed and reported as failed.',
  },

  // Self-observability
  'http.host': { kind: 'string', env: 'WG_SIEM_HTTP_HOST', default: '127.0.0.1', doc: 'Address of the /healthz, /readyz and /metrics endpoint.' },
  'http.port': { kind: 'int', env: 'WG_SIEM_HTTP_PORT', default: 9464, min: 0, max: 65535, doc: 'Port of that endpoint (0: none).' },
  'log.level': {
    kind: 'enum', env: 'WG_SIEM_LOG_LEVEL', default: 'info', values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    doc: 'Level of wg-siem\'s own logs (ECS JSON on stderr).',
  },

  // The local stack
  'stack.dir': {
    kind: 'string', env: 'WG_SIEM_STACK_DIR', default: null,
    doc: 'State directory of the local stack (data, logs, pid files). Default: /var/lib/wg-siem/stack as root, else ~/.local/state/wg-siem/stack.',
  },
  'stack.cacheDir': {
    kind: 'string', env: 'WG_SIEM_CACHE_DIR', default: null,
    doc: 'Download cache of the local stack. Default: /var/cache/wg-siem as root, else ~/.cache/wg-siem.',
  },
  'stack.kafkaPort': { kind: 'int', env: 'WG_SIEM_STACK_KAFKA_PORT', default: 19092, min: 1, max: 65535, doc: 'Preferred Kafka broker port of the local stack (a free one is taken if it is busy).' },
  'stack.kafkaControllerPort': { kind: 'int', env: 'WG_SIEM_STACK_KAFKA_CONTROLLER_PORT', default: 19093, min: 1, max: 65535, doc: 'Preferred KRaft controller port of the local stack.' },
  'stack.elasticsearchPort': { kind: 'int', env: 'WG_SIEM_STACK_ES_PORT', default: 19200, min: 1, max: 65535, doc: 'Preferred Elasticsearch HTTP port of the local stack.' },
  'stack.elasticsearchTransportPort': { kind: 'int', env: 'WG_SIEM_STACK_ES_TRANSPORT_PORT', default: 19300, min: 1, max: 65535, doc: 'Preferred Elasticsearch transport port of the local stack.' },
  'stack.elasticsearchHeapMb': { kind: 'int', env: 'WG_SIEM_STACK_ES_HEAP_MB', default: 1024, min: 256, max: 16384, doc: 'Heap of the local Elasticsearch.' },
  'stack.elasticsearchUser': {
    kind: 'string', env: 'WG_SIEM_STACK_ES_USER', default: 'wg-siem-es',
    doc: 'System user that runs the local Elasticsearch when wg-siem runs as root (Elasticsearch refuses root); created if missing.',
  },
} as const satisfies Record<string, KeyDef>;

export type ConfigKey = keyof typeof CONFIG_KEYS;

type ValueOfDef<D> = D extends { kind: 'list' } ? string[]
  : D extends { kind: 'int' } ? number
  : D extends { kind: 'bool' } ? boolean
  : D extends { kind: 'enum'; values: readonly (infer V)[] } ? V
  : string;

type NullableIfNoDefault<D, T> = D extends { default: null } ? (D extends { derived: string } ? T : T | null) : T;

/** The validated configuration, keyed by dotted path. */
export type Config = {
  readonly [K in ConfigKey]: NullableIfNoDefault<(typeof CONFIG_KEYS)[K], ValueOfDef<(typeof CONFIG_KEYS)[K]>>;
};

/** Environment variables that are not keys but steer loading. */
export const META_ENV = {
  WG_SIEM_CONFIG: 'Path of an optional YAML or JSON configuration file (nested or dotted keys).',
} as const;

export const SECRET_KEYS: readonly ConfigKey[] = (Object.keys(CONFIG_KEYS) as ConfigKey[])
  .filter((k) => (CONFIG_KEYS[k] as KeyDef).secret === true);

export function keyDef(k: ConfigKey): KeyDef {
  return CONFIG_KEYS[k];
}
