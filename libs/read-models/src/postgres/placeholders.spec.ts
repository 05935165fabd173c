import { describe, expect, it } from '@jest/globals';
import { toNumberedPlaceholders } from './placeholders.js';

describe('numbering ? placeholders for PostgreSQL', () => {
  it('numbers them in order', () => {
    expect(toNumberedPlaceholders('SELECT * FROM disbursements WHERE unit_code IN (?, ?) AND period = ? LIMIT ?')).toEqual({
      text: 'SELECT * FROM disbursements WHERE unit_code IN ($1, $2) AND period = $3 LIMIT $4',
      count: 4,
    });
  });

  it.each([
    ["SELECT '?' AS a, ? AS b", "SELECT '?' AS a, $1 AS b"],
    ["SELECT 'it''s ?' AS a, ?", "SELECT 'it''s ?' AS a, $1"],
    ["SELECT E'\\'?' AS a, ?", "SELECT E'\\'?' AS a, $1"],
    ['SELECT "odd?name" FROM t WHERE x = ?', 'SELECT "odd?name" FROM t WHERE x = $1'],
    ['SELECT $$ ? $$, $tag$ ? $$ ? $tag$, ?', 'SELECT $$ ? $$, $tag$ ? $$ ? $tag$, $1'],
    ['SELECT ? -- why?\n, ?', 'SELECT $1 -- why?\n, $2'],
    ['SELECT /* a ? /* nested ? */ still ? */ ?', 'SELECT /* a ? /* nested ? */ still ? */ $1'],
    ['SELECT col$1 FROM t WHERE a = ?', 'SELECT col$1 FROM t WHERE a = $1'],
  ])('leaves a ? that is text alone: %j', (sql, text) => {
    expect(toNumberedPlaceholders(sql).text).toBe(text);
  });

  it('counts only real placeholders, so a parameter mismatch is caught before the database', () => {
    expect(toNumberedPlaceholders("SELECT '?', ?").count).toBe(1);
  });
});
