import type { Command } from 'commander';
import { definitionJsonSchema } from '../analysis/spec.js';
import { networkRecordJsonSchema } from '../sweep/record.js';
import { resultJsonSchema } from '../data/resultFile.js';
import { lossRowJsonSchema } from '../data/lossRowSchema.js';
import { InputError } from '../data/errors.js';
import { guarded } from './errors.js';

const SCHEMAS: Record<string, () => unknown> = {
  definition: definitionJsonSchema,
  record: networkRecordJsonSchema,
  result: resultJsonSchema,
  import: lossRowJsonSchema,
};

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description(
      'print a JSON Schema: of the analysis definition format (tra run), of one journal record (a trained network), of the result file a training command writes (docs/COMMAND.md), or of one row of the import format (tra import)',
    )
    .argument('[kind]', `${Object.keys(SCHEMAS).join(' or ')}`, 'definition')
    .action(
      guarded((kind: string) => {
        const schema = SCHEMAS[kind];
        if (!schema) throw new InputError(`schema '${kind}': expected ${Object.keys(SCHEMAS).join(' or ')}`);
        process.stdout.write(`${JSON.stringify(schema(), null, 2)}\n`);
      }),
    );
}
