import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { READ_MODEL_TABLES, RECORD_TABLES } from './read-model-schema.js';

/** docs/read-models.md is what BI analysts read: every table and column must be in it, as defined. */
const doc = readFileSync(fileURLToPath(new URL('../../../docs/read-models.md', import.meta.url)), 'utf8');

/** The text of `### <table>` up to the next heading of that level or above. */
function sectionOf(table: string): string | undefined {
  const start = doc.indexOf(`\n### ${table}\n`);
  if (start < 0) return undefined;
  const rest = doc.slice(start + 1);
  const end = rest.slice(4).search(/\n#{2,3} /);
  return end < 0 ? rest : rest.slice(0, end + 4);
}

describe('docs/read-models.md', () => {
  // The read models and the record tables kept beside them (the access log).
  describe.each([...READ_MODEL_TABLES, ...RECORD_TABLES].map((table) => ({ ...table, table: table.name })))('for the $table table', ({ table, key, columns }) => {
    it('has a section', () => {
      expect(sectionOf(table)).toBeDefined();
    });

    it('names its key', () => {
      const keyLine = sectionOf(table)?.split('\n').find((line) => line.startsWith('Key: '));
      const documented = keyLine?.split('Indexed:')[0]!.match(/`[a-z0-9_]+`/g)?.map((name) => name.slice(1, -1));
      expect(documented).toEqual([...key]);
    });

    it.each(columns.map(([column, type]) => ({ column, type })))('describes $column as $type', ({ column, type }) => {
      const row = sectionOf(table)
        ?.split('\n')
        .find((line) => line.startsWith(`| \`${column}\` |`));
      expect(row).toBeDefined();
      expect(row!.split('|')[2]!.trim()).toBe(type);
      expect(row!.split('|')[3]!.trim().length).toBeGreaterThan(3);
    });

    it('describes no column the table does not have', () => {
      const documented = (sectionOf(table) ?? '')
        .split('\n')
        .map((line) => /^\| `([a-z0-9_]+)` \|/.exec(line)?.[1])
        .filter((name): name is string => name !== undefined);
      expect(documented).toEqual(columns.map(([name]) => name));
    });
  });
});
