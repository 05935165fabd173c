/**
 * Turns the `?` placeholders the queries are written with into PostgreSQL's `$1, $2, …`.
 *
 * A `?` inside a string literal ('…', E'…'), a quoted identifier ("…"), a dollar-quoted body
 * ($$…$$, $tag$…$tag$) or a comment is text, not a placeholder, and is left alone. The queries
 * never use PostgreSQL's jsonb `?` operators, which this translation would take for placeholders.
 */
export function toNumberedPlaceholders(sql: string): { text: string; count: number } {
  let text = '';
  let count = 0;
  let index = 0;
  const length = sql.length;
  while (index < length) {
    const char = sql[index]!;
    const next = sql[index + 1];
    if (char === '?') {
      text += `$${++count}`;
      index++;
    } else if (char === "'" || char === '"') {
      const end = endOfQuoted(sql, index, char, char === "'" && isEscapeStringPrefix(sql, index));
      text += sql.slice(index, end);
      index = end;
    } else if (char === '-' && next === '-') {
      const newline = sql.indexOf('\n', index);
      const end = newline === -1 ? length : newline;
      text += sql.slice(index, end);
      index = end;
    } else if (char === '/' && next === '*') {
      const end = endOfBlockComment(sql, index);
      text += sql.slice(index, end);
      index = end;
    } else if (char === '$' && !isIdentifierChar(sql[index - 1])) {
      const tag = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(sql.slice(index))?.[0];
      if (tag) {
        const close = sql.indexOf(tag, index + tag.length);
        const end = close === -1 ? length : close + tag.length;
        text += sql.slice(index, end);
        index = end;
      } else {
        text += char;
        index++;
      }
    } else {
      text += char;
      index++;
    }
  }
  return { text, count };
}

/** Index just past the closing quote; a doubled quote is an escaped one, and so is \' in E'…'. */
function endOfQuoted(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let index = start + 1;
  while (index < sql.length) {
    const char = sql[index]!;
    if (backslashEscapes && char === '\\') {
      index += 2;
      continue;
    }
    if (char === quote) {
      if (sql[index + 1] === quote) {
        index += 2;
        continue;
      }
      return index + 1;
    }
    index++;
  }
  return sql.length;
}

/** Block comments nest in PostgreSQL. */
function endOfBlockComment(sql: string, start: number): number {
  let depth = 0;
  let index = start;
  while (index < sql.length) {
    if (sql[index] === '/' && sql[index + 1] === '*') {
      depth++;
      index += 2;
    } else if (sql[index] === '*' && sql[index + 1] === '/') {
      depth--;
      index += 2;
      if (depth === 0) return index;
    } else {
      index++;
    }
  }
  return sql.length;
}

function isEscapeStringPrefix(sql: string, quoteIndex: number): boolean {
  const prefix = sql[quoteIndex - 1];
  return (prefix === 'E' || prefix === 'e') && !isIdentifierChar(sql[quoteIndex - 2]);
}

function isIdentifierChar(char: string | undefined): boolean {
  return char !== undefined && /[A-Za-z0-9_$\u0080-\uffff]/.test(char);
}
