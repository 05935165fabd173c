import { describe, expect, it } from '@jest/globals';
import { jsonNestsDeeperThan } from './json-depth.js';

describe('jsonNestsDeeperThan', () => {
  it('counts arrays and objects alike', () => {
    expect(jsonNestsDeeperThan('{"items":[{"amount":1}]}', 3)).toBe(false);
    expect(jsonNestsDeeperThan('{"items":[{"amount":[1]}]}', 3)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonNestsDeeperThan('{"reason":"[[[{{{ \\" [[[["}', 1)).toBe(false);
  });

  it('finds a nest far too deep without walking it recursively', () => {
    expect(jsonNestsDeeperThan(`${'['.repeat(500_000)}${']'.repeat(500_000)}`, 32)).toBe(true);
  });

  it('lets siblings at the same depth through', () => {
    expect(jsonNestsDeeperThan(`[${'[1],'.repeat(10_000)}[2]]`, 2)).toBe(false);
  });
});
