import * as assert from 'node:assert/strict';
import { lex } from '../server/src/core/lexer';
import { TokKind, type Token } from '../server/src/core/token';

function run(text: string) {
  return lex({ path: '/t.h', text });
}

function texts(text: string): string[] {
  return run(text).tokens.filter((t) => t.kind !== TokKind.EOF).map((t) => t.text);
}

function where(t: Token): string {
  return `${t.line}:${t.col}`;
}

describe('lexer', () => {
  it('ends with exactly one EOF token', () => {
    const empty = run('').tokens;
    assert.equal(empty.length, 1);
    assert.equal(empty[0].kind, TokKind.EOF);
    const r = run('int x;').tokens;
    assert.equal(r[r.length - 1].kind, TokKind.EOF);
    assert.equal(r.filter((t) => t.kind === TokKind.EOF).length, 1);
  });

  it('lexes pp-numbers with suffixes and exponents as one token', () => {
    assert.deepEqual(texts('0x80000000UL 1e+5 1i64 0x10ui64 .5f 1.0E-3 0x1p+3 12ab'), [
      '0x80000000UL', '1e+5', '1i64', '0x10ui64', '.5f', '1.0E-3', '0x1p+3', '12ab',
    ]);
    assert.deepEqual(texts('1+2'), ['1', '+', '2']);
    assert.deepEqual(texts('0xe+1'), ['0xe+1']); // a single pp-number, as in C
    assert.ok(run('42').tokens.slice(0, -1).every((t) => t.kind === TokKind.Number));
  });

  it('lexes every punctuator by longest match', () => {
    const all = '[ ] ( ) { } . -> ++ -- & * + - ~ ! / % << >> < > <= >= == != ^ | && || ? : ; ... = *= /= %= += -= <<= >>= &= ^= |= , # ##';
    assert.deepEqual(texts(all), all.split(' '));
    assert.deepEqual(texts('a...b'), ['a', '...', 'b']);
    assert.deepEqual(texts('..'), ['.', '.']);
    assert.deepEqual(texts('x<<=y>>z'), ['x', '<<=', 'y', '>>', 'z']);
    assert.deepEqual(texts('a##b#c'), ['a', '##', 'b', '#', 'c']);
  });

  it('lexes the C++ scope operator as one punctuator, beside : and :>', () => {
    assert.deepEqual(texts('a::b ::c d:e :::'), ['a', '::', 'b', '::', 'c', 'd', ':', 'e', '::', ':']);
    assert.deepEqual(texts('x ? y :> z'), ['x', '?', 'y', ']', 'z']);
    assert.deepEqual(texts('ns::Type<int>::value'), ['ns', '::', 'Type', '<', 'int', '>', '::', 'value']);
  });

  it('lexes C++ raw string literals as one token, keeping their text and counting their lines', () => {
    const r = run('x R"(a"b\\n)" LR"xy(one\n)"\n)xy" u8R"(z)" y').tokens;
    assert.deepEqual(
      r.slice(0, -1).map((t) => [t.kind, t.text]),
      [
        [TokKind.Ident, 'x'],
        [TokKind.String, 'R"(a"b\\n)"'],
        [TokKind.String, 'LR"xy(one\n)"\n)xy"'],
        [TokKind.String, 'u8R"(z)"'],
        [TokKind.Ident, 'y'],
      ],
    );
    const lines = run('R"(first\nsecond\r\nthird)" after').tokens;
    assert.equal(lines[0].text, 'R"(first\nsecond\r\nthird)"');
    assert.equal(where(lines[1]), '3:9');
    // Not a raw string: a bad delimiter leaves an identifier and a string, as in C.
    assert.deepEqual(texts('R"a b(x)a b"'), ['R', '"a b(x)a b"']);
    const open = run('R"(never closed');
    assert.equal(open.diagnostics.length, 1);
    assert.equal(open.tokens.length, 2);
  });

  it('maps digraphs to the tokens they stand for', () => {
    assert.deepEqual(texts('<: :> <% %> %: %:%:'), ['[', ']', '{', '}', '#', '##']);
  });

  it('lexes string and char literals with prefixes', () => {
    const r = run(`L"a\\"b" u8"x" u'c' U"z" 'q' "" L'\\0'`).tokens;
    assert.deepEqual(
      r.slice(0, -1).map((t) => [t.kind, t.text]),
      [
        [TokKind.String, 'L"a\\"b"'],
        [TokKind.String, 'u8"x"'],
        [TokKind.Char, "u'c'"],
        [TokKind.String, 'U"z"'],
        [TokKind.Char, "'q'"],
        [TokKind.String, '""'],
        [TokKind.Char, "L'\\0'"],
      ],
    );
    // An identifier that merely looks like a prefix stays an identifier.
    assert.deepEqual(texts('LL"x"'), ['LL', '"x"']);
  });

  it('records comments and treats them as whitespace', () => {
    const r = run('a/* one\n two */b // three\nc');
    assert.deepEqual(r.tokens.slice(0, -1).map((t) => t.text), ['a', 'b', 'c']);
    assert.deepEqual(
      r.comments.map((c) => [c.text, c.line, c.endLine, c.offset, c.end]),
      [
        ['/* one\n two */', 1, 2, 1, 15],
        ['// three', 2, 2, 17, 25],
      ],
    );
    const b = r.tokens[1];
    assert.equal(b.space, true);
    assert.equal(b.bol, false, 'a newline inside a block comment does not start a line');
    assert.equal(r.tokens[2].bol, true);
  });

  it('removes line splices, even inside tokens and comments', () => {
    const r = run('ab\\\ncd e\\\r\nf // x \\\n still comment\ng');
    assert.deepEqual(r.tokens.slice(0, -1).map((t) => t.text), ['abcd', 'ef', 'g']);
    assert.equal(where(r.tokens[0]), '1:1');
    assert.equal(where(r.tokens[1]), '2:4');
    assert.equal(where(r.tokens[2]), '5:1');
    assert.equal(r.tokens[2].bol, true);
    assert.equal(r.comments.length, 1);
    // A splice with trailing blanks, as gcc and clang accept.
    assert.deepEqual(texts('#define X 1 \\  \n + 2'), ['#', 'define', 'X', '1', '+', '2']);
    assert.deepEqual(texts('<\\\n<= /\\\n* c */ x'), ['<<=', 'x']);
  });

  it('counts each line once when look-ahead steps over a splice', () => {
    // `|` looks ahead for `||`/`|=` across the splice; `*` inside a comment looks for `/`.
    for (const text of ['a |\\\n b\nc', 'a |\\\r\n b\r\nc', '/* x *\\\n y */ b\nc', 'a -\\\n\\\n- b\nc']) {
      const r = run(text);
      const c = r.tokens[r.tokens.length - 2];
      assert.equal(c.text, 'c');
      const expectedLine = text.slice(0, text.lastIndexOf('c')).split(/\r\n|\r|\n/).length;
      assert.equal(c.line, expectedLine, JSON.stringify(text));
      assert.equal(c.col, 1);
    }
    assert.deepEqual(texts('a -\\\n\\\n- b'), ['a', '--', 'b']);
  });

  it('keeps token lines equal to the line of their offset on a real header', () => {
    let text = '';
    for (let i = 0; i < 200; i++) text += `#define M${i}(x) ((x) |\\\n   0x${i}) /* c *\\\n */ +\\\n 1\n`;
    const file = { path: '/h.h', text };
    const r = lex(file);
    for (const t of r.tokens) {
      const line = text.slice(0, t.offset).split('\n').length;
      assert.equal(t.line, line, `token ${t.text} at ${t.offset}`);
    }
  });

  it('handles CRLF and lone CR line endings', () => {
    const r = run('a\r\nb\rc\n  d');
    assert.deepEqual(r.tokens.slice(0, -1).map(where), ['1:1', '2:1', '3:1', '4:3']);
    assert.ok(r.tokens.slice(0, -1).every((t) => t.bol));
  });

  it('sets space and bol', () => {
    const r = run('#define F(x) x\n  y(z)');
    const flags = r.tokens.slice(0, -1).map((t) => `${t.text}${t.bol ? '^' : ''}${t.space ? '_' : ''}`);
    assert.deepEqual(flags, ['#^', 'define', 'F_', '(', 'x', ')', 'x_', 'y^_', '(', 'z', ')']);
  });

  it('reports unterminated comments and literals without throwing', () => {
    let r = run('a /* never closed');
    assert.deepEqual(r.diagnostics.map((d) => d.code), ['lex-unterminated-comment']);
    assert.deepEqual(r.tokens.map((t) => t.text), ['a', '']);
    r = run('"abc\nx \'d');
    assert.deepEqual(r.diagnostics.map((d) => d.code), ['lex-unterminated-string', 'lex-unterminated-string']);
    assert.deepEqual(r.tokens.slice(0, -1).map((t) => t.text), ['"abc', 'x', "'d"]);
    r = run('"ends with backslash\\');
    assert.equal(r.diagnostics.length, 1);
  });

  it('keeps stray characters as Other tokens', () => {
    const r = run('a @ ` \\ b');
    assert.deepEqual(r.tokens.slice(0, -1).map((t) => [t.kind, t.text]), [
      [TokKind.Ident, 'a'],
      [TokKind.Other, '@'],
      [TokKind.Other, '`'],
      [TokKind.Other, '\\'],
      [TokKind.Ident, 'b'],
    ]);
  });

  it('accepts $ and non-ASCII in identifiers and skips a BOM', () => {
    assert.deepEqual(texts('\uFEFFa$b größe'), ['a$b', 'größe']);
  });

  it('never throws or hangs on arbitrary text', () => {
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const alphabet = 'ab1.e+-"\'\\\n\r/*#%:<>=&|xLu8 \t';
    for (let k = 0; k < 2000; k++) {
      let s = '';
      const len = Math.floor(rnd() * 40);
      for (let j = 0; j < len; j++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      const r = run(s);
      assert.equal(r.tokens[r.tokens.length - 1].kind, TokKind.EOF);
    }
  });
});
