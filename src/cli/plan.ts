import type { Command } from 'commander';
import { planAnalysis } from '../analysis/pairwise.js';
import { readSpecFile } from '../analysis/spec.js';
import { planText } from '../sweep/planner.js';
import { cheaperRoutes } from '../affinity/proxies/registry.js';
import { guarded } from './errors.js';

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description(
      'before a sweep: how many networks an analysis definition trains, its time on this machine (a short calibration) and, when large, the cheaper routes with their measured error',
    )
    .argument('<definition>', 'analysis definition JSON, e.g. analyses/yeast-pairwise.json')
    .action(
      guarded(async (definition: string) => {
        const { plan, taskCount } = await planAnalysis(readSpecFile(definition));
        process.stdout.write(`${planText(plan, taskCount, cheaperRoutes()).join('\n')}\n`);
      }),
    );
}
