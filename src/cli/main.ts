#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig } from '../shared/config/load.ts';
import { explainEsError } from '../sinks/elasticsearch/explain-error.ts';
import { explainKafkaError } from '../source/kafka/explain-error.ts';
import { registerNormalize } from './commands/normalize.ts';
import { VERSION } from '../shared/version.ts';

type Register = (program: Command) => void;

// In the order `--help` lists them, each loaded when the command line needs it: `normalize` and `explain`,
// which logs are piped through, start without loading the Kafka and Elasticsearch clients of the others.
const COMMANDS: readonly (() => Promise<Register>)[] = [
  async () => (await import('./commands/demo.ts')).registerDemo,
  async () => (await import('./commands/stack.ts')).registerStack,
  () => Promise.resolve(registerNormalize),
  async () => (await import('./commands/setup.ts')).registerSetup,
  async () => (await import('./commands/run.ts')).registerRun,
  async () => (await import('./commands/ship.ts')).registerShip,
  async () => (await import('./commands/collect.ts')).registerCollect,
  async () => (await import('./commands/dlq.ts')).registerDlq,
  async () => (await import('./commands/rules.ts')).registerRules,
  async () => (await import('./commands/config.ts')).registerConfig,
  async () => (await import('./commands/capabilities.ts')).registerCapabilities,
  async () => (await import('./commands/doctor.ts')).registerDoctor,
];

export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('wg-siem')
    .description('Turns WireGuard log lines into explained, correlated Elastic Common Schema events and alerts.')
    .version(VERSION)
    .showHelpAfterError()
    .addHelpText('after', `
Configuration comes from WG_SIEM_* environment variables and an optional file named by WG_SIEM_CONFIG
(docs/configuration.md). With none, every command targets the local stack of \`wg-siem stack up\`.`);
  if (argv[0] === 'normalize' || argv[0] === 'explain') {
    registerNormalize(program);
    return program;
  }
  for (const register of await Promise.all(COMMANDS.map((load) => load()))) register(program);
  return program;
}

/** What to change when Kafka or Elasticsearch refuses wg-siem (names from the configuration, never secrets). */
function kafkaHint(e: unknown): string | undefined {
  try {
    const c = loadConfig();
    return explainKafkaError(e, c) ?? explainEsError(e, c);
  } catch {
    return undefined;
  }
}

/** Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = (await buildProgram(argv)).exitOverride();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof ConfigError) { process.stderr.write(`wg-siem: ${e.message}\n`); return 2; }
    const err = e as Error & { meta?: { statusCode?: number } };
    // A refused HEAD request comes back with no body, so with an empty message.
    process.stderr.write(`wg-siem: ${err.message || `${err.name}${err.meta?.statusCode ? ` (HTTP ${err.meta.statusCode})` : ''}`}\n`);
    const hint = kafkaHint(e);
    if (hint) process.stderr.write(`  what to fix: ${hint}\n`);
    return 1;
  }
}

// `wg-siem normalize | head` closes our stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); throw e; });
process.exitCode = await main(process.argv.slice(2));
