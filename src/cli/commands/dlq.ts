import type { Command } from 'commander';
import { loadConfig } from '../../shared/config/load.ts';
import { resolveKafka } from '../targets.ts';

export function registerDlq(program: Command): void {
  const dlq = program.command('dlq').description('the dead-letter topic: records the pipeline could not index, with their reasons');
  dlq.command('replay')
    .description('send dead letters back to the topics they came from (after a fix), each exactly once')
    .option('--to <topic>', 'send them all to this topic instead of each one\'s source topic')
    .option('--reason <reasons>', 'only these reasons, comma-separated (e.g. record-too-large,rejected-by-elasticsearch)')
    .option('--group <id>', 'consumer group that remembers how far replays got', 'wg-siem-dlq-replay')
    .option('--dry-run', 'count what would be replayed, send nothing, commit nothing')
    .action(async (o: { to?: string; reason?: string; group: string; dryRun?: boolean }) => {
      const c = loadConfig();
      const { replayDeadLetters } = await import('../../source/dlq-replay.ts');
      const r = await replayDeadLetters(resolveKafka(c), {
        dlqTopic: c['kafka.dlqTopic'], groupId: o.group, toTopic: o.to, dryRun: !!o.dryRun, compression: c['kafka.compression'],
        reasons: o.reason ? o.reason.split(',').map((x) => x.trim()).filter(Boolean) : undefined,
      });
      const where = Object.entries(r.byTopic).map(([t, n]) => `${n} to ${t}`).join(', ') || 'nothing';
      process.stdout.write(`${o.dryRun ? 'would replay' : 'replayed'} ${r.replayed} of ${r.read} dead letters (${where}); ${r.skipped} skipped\n`);
    });
}
