// The correlation stage and the notifier report through hooks; this binds them to the Prometheus metrics.
import type { CorrelationHooks } from '../../correlate/alerts/correlation-ports.ts';
import type { NotifierHooks } from '../../sinks/notify/types.ts';
import type { Metrics } from './metrics.ts';

export function correlationHooks(m: Metrics): CorrelationHooks {
  return {
    transition: (rule, kind) => {
      m.alertTransitions.inc({ rule, kind });
      if (kind === 'opened') m.alertsRaised.inc({ rule });
    },
    late: (n) => { m.lateEvents.inc(n); },
    evicted: (n) => { m.groupsEvicted.inc(n); },
    groups: (partition, n) => { m.correlationGroups.set({ partition: String(partition) }, n); },
    duplicates: (n) => { m.correlationDuplicates.inc(n); },
    stateSaved: (seconds, bytes) => { m.stateSaveDuration.observe(seconds); if (bytes > 0) m.stateBytes.set(bytes); },
    alertRejected: () => { m.alertsRejected.inc(); },
    // Not 0: the series of a partition this instance no longer owns would add a stale figure to every sum.
    released: (partition) => { m.correlationGroups.remove({ partition: String(partition) }); },
  };
}

export function notifierHooks(m: Metrics): NotifierHooks {
  return {
    sent: (target, action) => { m.pagesSent.inc({ target, outcome: `${action}-sent` }); },
    failed: (target) => { m.pagesSent.inc({ target, outcome: 'failed' }); },
    suppressed: (reason) => { m.pagesSuppressed.inc({ reason }); },
    queueDepth: (n) => { m.pageQueueDepth.set(n); },
  };
}
