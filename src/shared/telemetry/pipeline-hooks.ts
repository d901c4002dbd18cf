// The pipeline reports through PipelineHooks and knows nothing of Prometheus; this is the one place where its
// reports become metric updates, so a renamed metric or a new hook fails to compile here, not silently.
import type { PipelineHooks } from '../../indexing/pipeline.ts';
import type { Metrics } from './metrics.ts';

export function pipelineHooks(m: Metrics): PipelineHooks {
  return {
    recordsIn: (topic, n) => { m.recordsIn.inc({ topic }, n); },
    indexed: (action, n) => { m.documentsIndexed.inc({ event_action: action }, n); },
    duplicates: (n) => { m.duplicates.inc(n); },
    deadLettered: (reason, n) => { m.deadLetters.inc({ reason }, n); },
    unparsed: (n) => { m.unparsedLines.inc(n); },
    bulkRequest: (seconds) => { m.bulkRequestDuration.observe(seconds); },
    batchSize: (records) => { m.batchSize.observe(records); },
    retry: (cause) => { m.bulkRetries.inc({ cause }); },
    paused: (partitions) => { m.partitionsPaused.set(partitions); },
    invalid: (document, n) => { m.invalidDocuments.inc({ document }, n); },
    lag: (topic, partition, lag) => { m.consumerLag.set({ topic, partition: String(partition) }, lag); },
    released: (topic, partition) => { m.consumerLag.remove({ topic, partition: String(partition) }); },
    committed: () => { m.commits.inc(); },
  };
}
