import { describe, expect, it } from 'vitest';
import { splitStatements, tokenize } from '../../src/engine/parser/lexer.js';

function types(sql: string): string[] {
  return tokenize(sql)
    .filter((t) => t.type !== 'EOF')
    .map((t) => `${t.type}:${t.value}`);
}

describe('tokenize', () => {
  it('recognises numbers and digit identifiers by longest match', () => {
    expect(types('1 1.5 .5 1. 1e3 1.5E-2 1abc 1e')).toEqual([
      'INTEGER_VALUE:1',
      'DECIMAL_VALUE:1.5',
      'DECIMAL_VALUE:.5',
      'DECIMAL_VALUE:1.',
      'FLOATING_POINT_VALUE:1e3',
      'FLOATING_POINT_VALUE:1.5E-2',
      'DIGIT_IDENTIFIER:1ABC',
      'DIGIT_IDENTIFIER:1E',
    ]);
  });

  it('unescapes strings and quoted identifiers and normalises != to <>', () => {
    expect(types("'a''b' `c``d` \"e\"\"f\" != <= => := -> ||")).toEqual([
      "STRING:a'b",
      'BACKQUOTED_IDENTIFIER:c`d',
      'QUOTED_IDENTIFIER:e"f',
      'SYMBOL:<>',
      'SYMBOL:<=',
      'SYMBOL:=>',
      'SYMBOL::=',
      'SYMBOL:->',
      'SYMBOL:||',
    ]);
  });

  it('reads keywords case-insensitively and variables as written', () => {
    expect(types('select Foo_1@x ${myVar} $x')).toEqual([
      'KEYWORD:SELECT',
      'IDENTIFIER:FOO_1@X',
      'VARIABLE:myVar',
      'UNRECOGNIZED:$',
      'IDENTIFIER:X',
    ]);
  });

  it('skips comments and tracks lines and columns', () => {
    const tokens = tokenize('-- c\n  /* x\n y */ a\r\n\tb');
    expect(tokens.map((t) => [t.text, t.line, t.column])).toEqual([
      ['a', 3, 6],
      ['b', 4, 1],
      ['<EOF>', 4, 2],
    ]);
  });
});

describe('splitStatements', () => {
  it('keeps semicolons inside strings, identifiers and comments', () => {
    expect(splitStatements("SET 'a'=';'; -- ;\nSELECT `;` FROM s /* ; */; trailing")).toEqual([
      "SET 'a'=';';",
      'SELECT `;` FROM s /* ; */;',
      'trailing',
    ]);
  });
});
