/** Header names on dead-letter records: the pipeline writes them, `dlq replay` reads them back. */
export const DLQ_HEADERS = {
  reason: 'wg-siem.reason',
  detail: 'wg-siem.detail',
  topic: 'wg-siem.source.topic',
  partition: 'wg-siem.source.partition',
  offset: 'wg-siem.source.offset',
  line: 'wg-siem.source.line',
  failedAt: 'wg-siem.failed_at',
  /** Set on a replayed record: where in the dead-letter topic it came from. */
  replayedFrom: 'wg-siem.replayed-from',
} as const;
