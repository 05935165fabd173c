import { READ_MODEL_TABLES, tableDefinition, type ColumnType } from './read-model-schema.js';
import type { Row, RowChange, SqlValue } from './row-changes.js';

export type Dialect = 'sqlite' | 'postgres';

const sqlType: Record<Dialect, Record<ColumnType, string>> = {
  sqlite: { text: 'TEXT', integer: 'INTEGER', boolean: 'INTEGER', bigint: 'INTEGER' },
  postgres: { text: 'text', integer: 'integer', boolean: 'boolean', bigint: 'bigint' },
};

/** Version 1 of the read-model schema; a later version adds a migration rather than editing this. */
export function schemaStatements(dialect: Dialect): string[] {
  const statements: string[] = [];
  for (const table of READ_MODEL_TABLES) {
    const columns = table.columns.map(([name, type]) => `${name} ${sqlType[dialect][type]}`);
    statements.push(`CREATE TABLE IF NOT EXISTS ${table.name} (${columns.join(', ')}, PRIMARY KEY (${table.key.join(', ')}))`);
    for (const index of table.indexes) {
      statements.push(`CREATE INDEX IF NOT EXISTS ${table.name}_by_${index.join('_')} ON ${table.name} (${index.join(', ')})`);
    }
  }
  statements.push(`CREATE TABLE IF NOT EXISTS projection_checkpoints (projection ${sqlType[dialect].text} PRIMARY KEY, position ${sqlType[dialect].bigint} NOT NULL)`);
  return statements;
}

export interface Statement {
  readonly sql: string;
  readonly parameters: SqlValue[];
}

/** One SQL statement per row change, with `?` placeholders. */
export function statementFor(change: RowChange): Statement {
  switch (change.kind) {
    case 'upsert':
    case 'insert': {
      const columns = Object.keys(change.row);
      const key = tableDefinition(change.table).key;
      const conflict =
        change.kind === 'insert'
          ? 'DO NOTHING'
          : `DO UPDATE SET ${columns.filter((column) => !key.includes(column)).map((column) => `${column} = excluded.${column}`).join(', ')}`;
      return {
        sql: `INSERT INTO ${change.table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT (${key.join(', ')}) ${conflict}`,
        parameters: Object.values(change.row),
      };
    }
    case 'update': {
      const set = Object.keys(change.set);
      const where = Object.keys(change.where);
      return {
        sql: `UPDATE ${change.table} SET ${set.map((column) => `${column} = ?`).join(', ')} WHERE ${where.map((column) => `${column} = ?`).join(' AND ')}`,
        parameters: [...Object.values(change.set), ...Object.values(change.where)],
      };
    }
  }
}

export const rowValues = (row: Row) => Object.values(row);
