import type { Command } from 'commander';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../shared/config/load.ts';
import { loadRules, RULE_FILE, SHIPPED_RULES_DIR } from '../../correlate/rules/load-rules.ts';

export function registerRules(program: Command): void {
  const rules = program.command('rules').description('correlation rules (alerts/*.yaml)');
  rules.command('check')
    .argument('[dir]', 'rule directory (default: correlate.rulesDir, else the rules shipped in the package)')
    .description('validate every rule file: prints each rule OK or its errors, exits 1 on any error')
    .action((arg: string | undefined) => {
      const dir = arg ?? loadConfig()['correlate.rulesDir'] ?? SHIPPED_RULES_DIR;
      const abs = resolve(dir);
      let files: string[];
      try {
        files = readdirSync(abs).filter((f) => RULE_FILE.test(f)).sort();
      } catch (e) {
        process.stderr.write(`${dir}: ${(e as Error).message}\n`);
        process.exitCode = 1;
        return;
      }
      const res = loadRules(abs);
      const errors = res.ok ? [] : res.errors;
      for (const f of files) {
        const file = join(abs, f);
        const mine = errors.filter((e) => e.file === file);
        if (mine.length === 0) { process.stdout.write(`OK     ${f}\n`); continue; }
        for (const e of mine) process.stdout.write(`ERROR  ${f} ${e.path || '/'}: ${e.message}\n`);
      }
      for (const e of errors.filter((x) => !files.some((f) => join(abs, f) === x.file))) process.stdout.write(`ERROR  ${e.file}: ${e.message}\n`);
      process.stdout.write(`${res.rules.length} rule(s) valid, ${errors.length} error(s)\n`);
      if (errors.length > 0) process.exitCode = 1;
    });
}
