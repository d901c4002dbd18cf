// Builds the correlation side of `wg-siem run` from the configuration: rules, peer inventory, notifier, diagnoser
// and the stage. Problems with the rules or the inventory are configuration errors: listed together, exit 2.
import type { Client } from '@elastic/elasticsearch';
import type { Logger } from 'pino';
import type { Config } from '../../shared/config/keys.ts';
import { ConfigError } from '../../shared/config/load.ts';
import { loadRules, SHIPPED_RULES_DIR } from '../rules/load-rules.ts';
import type { Rule } from '../rules/rule-types.ts';
import { InventoryError, loadInventory, type Inventory } from '../../enrich/inventory.ts';
import type { KafkaTarget } from '../../source/kafka/client.ts';
import { Notifier } from '../../sinks/notify/notifier.ts';
import type { NotifierHooks } from '../../sinks/notify/types.ts';
import type { CorrelationHooks } from './correlation-ports.ts';
import { CorrelationStage } from './correlation-stage.ts';
import { EsTunnelDiagnoser } from './tunnel-diagnoser.ts';

export interface Correlation {
  readonly stage: CorrelationStage;
  readonly notifier: Notifier;
  readonly rules: readonly Rule[];
}

export interface CorrelationDeps {
  readonly config: Config;
  readonly kafka: KafkaTarget;
  readonly es: Client;
  readonly log: Logger;
  readonly hooks?: CorrelationHooks;
  readonly notifierHooks?: NotifierHooks;
  readonly onFatal?: (error: Error) => void;
}

/** Rules and inventory as configured; throws ConfigError listing every problem of both. */
export function loadCorrelationInputs(config: Config): { rules: Rule[]; inventory?: Inventory } {
  const problems: string[] = [];
  const dir = config['correlate.rulesDir'] ?? SHIPPED_RULES_DIR;
  const res = loadRules(dir);
  if (!res.ok) for (const e of res.errors) problems.push(`correlate.rulesDir: ${e.file}${e.path ? ` ${e.path}` : ''}: ${e.message}`);
  let inventory: Inventory | undefined;
  const file = config['peers.inventoryFile'];
  if (file !== null) {
    try {
      inventory = loadInventory(file);
    } catch (e) {
      if (!(e instanceof InventoryError)) throw e;
      problems.push(`peers.inventoryFile: ${e.message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { rules: res.rules, ...(inventory ? { inventory } : {}) };
}

export function createCorrelation(d: CorrelationDeps): Correlation {
  const { rules, inventory } = loadCorrelationInputs(d.config);
  const notifier = new Notifier(d.config, { log: d.log, ...(d.notifierHooks ? { hooks: d.notifierHooks } : {}) });
  const stage = new CorrelationStage({
    config: d.config, kafka: d.kafka, es: d.es, log: d.log, rules,
    ...(inventory ? { inventory } : {}),
    diagnoser: new EsTunnelDiagnoser(d.es, d.config['namespace']),
    pager: notifier,
    ...(d.hooks ? { hooks: d.hooks } : {}),
    ...(d.onFatal ? { onFatal: d.onFatal } : {}),
  });
  return { stage, notifier, rules };
}
