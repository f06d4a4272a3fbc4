import type { Command } from 'commander';
import { definitionJsonSchema } from '../analysis/spec.js';
import { networkRecordJsonSchema } from '../sweep/record.js';
import { InputError } from '../data/errors.js';
import { guarded } from './errors.js';

const SCHEMAS: Record<string, () => unknown> = { definition: definitionJsonSchema, record: networkRecordJsonSchema };

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description(
      'print a JSON Schema: of the analysis definition format (tra run), or of one journal record (a trained network)',
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
