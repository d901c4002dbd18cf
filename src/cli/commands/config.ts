import type { Command } from 'commander';
import { loadConfig, redactedConfig } from '../../shared/config/load.ts';

export function registerConfig(program: Command): void {
  program.command('config')
    .description('validate the configuration and print it with secrets redacted (exit 2 listing every bad key)')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) => {
      const shown = redactedConfig(loadConfig());
      if (o.json) { process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`); return; }
      for (const [k, v] of Object.entries(shown)) process.stdout.write(`${k} = ${v === null ? '(unset)' : JSON.stringify(v)}\n`);
    });
}
