/**
 * Java regular expressions (java.util.regex.Pattern) on top of JS RegExp. The translation covers
 * what differs in syntax or meaning: \Q...\E quoting, POSIX and java classes (\p{Alpha},
 * \p{javaLowerCase}), Java's \s and $ definitions, \A \z \Z \h \R, octal and \x{...} escapes,
 * inline flags (applied to the whole pattern: JS in Node 20 has no scoped modifiers), nested
 * character-class unions, and Matcher.replaceAll's replacement syntax ($1, ${name}, \$).
 * Approximations: possessive quantifiers (X*+) and atomic groups ((?>X)) become greedy ones;
 * UNICODE_CASE is implied by the i flag. Constructs with no JS counterpart (\G, class
 * intersection &&) are rejected with a PatternSyntaxException-like error.
 */

export class JavaPatternError extends Error {
  constructor(description: string, pattern: string) {
    super(`${description} near index 0\n${pattern}`);
    this.name = 'PatternSyntaxException';
  }
}

const LINE_TERMINATOR = '(?:\\r\\n|[\\n\\r\\u0085\\u2028\\u2029])';
const JAVA_SPACE = ' \\t\\n\\x0B\\f\\r';
const HORIZONTAL_SPACE = ' \\t\\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000';
const VERTICAL_SPACE = '\\n\\x0B\\f\\r\\x85\\u2028\\u2029';

/** Character-class bodies (without brackets) for \p{...} names Java knows and JS lacks. */
const POSIX_CLASSES: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: JAVA_SPACE,
  javaLowerCase: '\\p{Ll}',
  javaUpperCase: '\\p{Lu}',
  javaWhitespace: '\\t\\n\\x0B\\f\\r\\x1C-\\x1F\\p{Zs}',
  javaMirrored: '\\p{Bidi_M}',
  javaLetter: '\\p{L}',
  javaDigit: '\\p{Nd}',
  javaLetterOrDigit: '\\p{L}\\p{Nd}',
  javaAlphabetic: '\\p{Alphabetic}',
  IsAlphabetic: '\\p{Alphabetic}',
  IsLetter: '\\p{L}',
  IsDigit: '\\p{Nd}',
  IsUppercase: '\\p{Uppercase}',
  IsLowercase: '\\p{Lowercase}',
  IsWhite_Space: '\\p{White_Space}',
  IsWhiteSpace: '\\p{White_Space}',
  IsPunctuation: '\\p{P}',
  IsControl: '\\p{Cc}',
  IsHex_Digit: '\\p{Hex_Digit}',
  IsIdeographic: '\\p{Ideographic}',
};

/** The body of a \p{name} class in JS syntax (for use inside brackets). */
function propertyClassBody(name: string, pattern: string): string {
  const posix = POSIX_CLASSES[name];
  if (posix !== undefined) return posix;
  if (/^(?:Is|general_category=|gc=)?(?:L[ultmo]?|M[nce]?|N[dlo]?|P[cdseifo]?|S[mcko]?|Z[slp]?|C[cfson]?)$/.test(name)) {
    return `\\p{${name.replace(/^(?:Is|general_category=|gc=)/, '')}}`;
  }
  const script = /^(?:Is|script=|sc=)(\w+)$/.exec(name);
  if (script) return `\\p{Script=${script[1]}}`;
  throw new JavaPatternError(`Unknown character property name {${name}}`, pattern);
}

interface Translation {
  source: string;
  flags: string;
}

const SYNTAX_CHARS = new Set([...'^$\\.*+?()[]{}|/']);

function escapeLiteral(ch: string, inClass: boolean): string {
  if (SYNTAX_CHARS.has(ch) || (inClass && ch === '-')) return '\\' + ch;
  return ch;
}

function readCodePoint(s: string, i: number): string {
  return String.fromCodePoint(s.codePointAt(i)!);
}

class Translator {
  private i = 0;
  private out = '';
  private flags = new Set<string>(['u']);
  private hasDotAll = false;

  constructor(private readonly p: string) {}

  translate(): Translation {
    while (this.i < this.p.length) this.out += this.term();
    if (this.hasDotAll) this.flags.add('s');
    return { source: this.out, flags: [...this.flags].join('') };
  }

  private fail(msg: string): never {
    throw new JavaPatternError(msg, this.p);
  }

  private get multiline(): boolean {
    return this.flags.has('m');
  }

  private comments = false;

  /** One element outside a character class. */
  private term(): string {
    const p = this.p;
    const c = p[this.i]!;
    if (this.comments && /\s/.test(c)) {
      this.i++;
      return '';
    }
    if (this.comments && c === '#') {
      while (this.i < p.length && p[this.i] !== '\n') this.i++;
      return '';
    }
    switch (c) {
      case '\\':
        return this.escape(false);
      case '[':
        return this.charClass();
      case '(':
        return this.group();
      case '$':
        this.i++;
        return this.multiline ? '$' : `(?=${LINE_TERMINATOR}?(?![\\s\\S]))`;
      case '*':
      case '+':
      case '?':
        this.i++;
        return c + this.quantifierSuffix();
      case '{': {
        const m = /^\{\d+(?:,\d*)?\}/.exec(p.slice(this.i));
        if (!m) {
          this.i++;
          return '\\{';
        }
        this.i += m[0].length;
        return m[0] + this.quantifierSuffix();
      }
      case '}':
      case ']':
        this.i++;
        return '\\' + c;
      default: {
        const ch = readCodePoint(p, this.i);
        this.i += ch.length;
        return ch;
      }
    }
  }

  /** Lazy `?` passes through; possessive `+` is approximated by a greedy quantifier. */
  private quantifierSuffix(): string {
    const next = this.p[this.i];
    if (next === '?') {
      this.i++;
      return '?';
    }
    if (next === '+') {
      this.i++;
      return '';
    }
    return '';
  }

  private group(): string {
    const p = this.p;
    this.i++; // (
    let prefix = '(';
    if (p[this.i] === '?') {
      const rest = p.slice(this.i);
      const flagGroup = /^\?([a-zA-Z]*)(?:-([a-zA-Z]*))?(:|\))/.exec(rest);
      if (rest.startsWith('?:') || rest.startsWith('?=') || rest.startsWith('?!') || rest.startsWith('?<=') || rest.startsWith('?<!')) {
        const len = rest.startsWith('?<') ? 3 : 2;
        prefix += rest.slice(0, len);
        this.i += len;
      } else if (rest.startsWith('?>')) {
        prefix += '?:';
        this.i += 2;
      } else if (/^\?<[a-zA-Z][a-zA-Z0-9]*>/.test(rest)) {
        const m = /^\?<[a-zA-Z][a-zA-Z0-9]*>/.exec(rest)!;
        prefix += m[0];
        this.i += m[0].length;
      } else if (flagGroup) {
        this.applyFlags(flagGroup[1] ?? '', flagGroup[2] ?? '');
        this.i += flagGroup[0].length;
        if (flagGroup[3] === ')') return '';
        prefix += '?:';
      } else {
        this.fail('Unknown inline modifier');
      }
    }
    let body = '';
    while (this.i < p.length && p[this.i] !== ')') body += this.term();
    if (p[this.i] !== ')') this.fail('Unclosed group');
    this.i++;
    return prefix + body + ')';
  }

  private applyFlags(on: string, off: string): void {
    for (const f of on) {
      if (f === 'i') this.flags.add('i');
      else if (f === 'm') this.flags.add('m');
      else if (f === 's') this.hasDotAll = true;
      else if (f === 'x') this.comments = true;
      else if (!'udU'.includes(f)) this.fail(`Unknown inline modifier`);
    }
    for (const f of off) {
      if (f === 'i') this.flags.delete('i');
      else if (f === 'm') this.flags.delete('m');
      else if (f === 's') this.hasDotAll = false;
      else if (f === 'x') this.comments = false;
    }
  }

  /** An escape sequence at p[i] === '\\'; inClass selects the class-body form. */
  private escape(inClass: boolean): string {
    const p = this.p;
    const c = p[this.i + 1];
    if (c === undefined) this.fail('Unexpected internal error');
    this.i += 2;
    switch (c) {
      case 'Q': {
        const end = p.indexOf('\\E', this.i);
        const literal = end < 0 ? p.slice(this.i) : p.slice(this.i, end);
        this.i = end < 0 ? p.length : end + 2;
        return [...literal].map((ch) => escapeLiteral(ch, inClass)).join('');
      }
      case 'E':
        return '';
      case 'p':
      case 'P': {
        let name: string;
        if (p[this.i] === '{') {
          const end = p.indexOf('}', this.i);
          if (end < 0) this.fail('Unclosed character family');
          name = p.slice(this.i + 1, end);
          this.i = end + 1;
        } else {
          name = p[this.i] ?? '';
          this.i++;
        }
        const body = propertyClassBody(name, p);
        if (inClass) {
          if (c === 'P') this.fail('Negated property inside a character class is not supported');
          return body;
        }
        return c === 'P' ? `[^${body}]` : `[${body}]`;
      }
      case 's':
        return inClass ? JAVA_SPACE : `[${JAVA_SPACE}]`;
      case 'S':
        return inClass ? '\\S' : `[^${JAVA_SPACE}]`;
      case 'h':
        return inClass ? HORIZONTAL_SPACE : `[${HORIZONTAL_SPACE}]`;
      case 'H':
        return `[^${HORIZONTAL_SPACE}]`;
      case 'v':
        return inClass ? VERTICAL_SPACE : `[${VERTICAL_SPACE}]`;
      case 'V':
        return `[^${VERTICAL_SPACE}]`;
      case 'R':
        return LINE_TERMINATOR;
      case 'A':
        return '(?<![\\s\\S])';
      case 'z':
        return '(?![\\s\\S])';
      case 'Z':
        return `(?=${LINE_TERMINATOR}?(?![\\s\\S]))`;
      case 'G':
        return this.fail('\\G is not supported');
      case 'e':
        return '\\x1B';
      case 'a':
        return '\\x07';
      case '0': {
        const m = /^[0-3]?[0-7]{1,2}/.exec(p.slice(this.i));
        if (!m) this.fail('Illegal octal escape sequence');
        this.i += m[0].length;
        return `\\u{${parseInt(m[0], 8).toString(16)}}`;
      }
      case 'x': {
        if (p[this.i] === '{') {
          const end = p.indexOf('}', this.i);
          if (end < 0) this.fail('Unclosed hexadecimal escape sequence');
          const hex = p.slice(this.i + 1, end);
          this.i = end + 1;
          return `\\u{${hex}}`;
        }
        return '\\x';
      }
      case 'd':
      case 'D':
      case 'w':
      case 'W':
      case 'b':
      case 'B':
      case 't':
      case 'n':
      case 'r':
      case 'f':
      case 'u':
      case 'c':
      case 'k':
        return '\\' + c;
      default:
        if (/[1-9]/.test(c)) return '\\' + c;
        if (/[a-zA-Z]/.test(c)) this.fail('Illegal/unsupported escape sequence');
        {
          // Java allows escaping any non-letter; JS with the u flag only syntax characters.
          const ch = readCodePoint(p, this.i - 1);
          this.i += ch.length - 1;
          return escapeLiteral(ch, inClass);
        }
    }
  }

  /** A character class, flattening Java's nested-class unions ([a[bc]] = [abc]). */
  private charClass(): string {
    const p = this.p;
    this.i++; // [
    let negated = false;
    if (p[this.i] === '^') {
      negated = true;
      this.i++;
    }
    let body = '';
    let first = true;
    while (this.i < p.length && (p[this.i] !== ']' || first)) {
      const c = p[this.i]!;
      first = false;
      if (c === '\\') {
        body += this.escape(true);
      } else if (c === '[') {
        if (p[this.i + 1] === '^') this.fail('Negated nested character classes are not supported');
        const nested = this.charClass();
        body += nested.slice(1, -1);
      } else if (c === '&' && p[this.i + 1] === '&') {
        this.fail('Character class intersection (&&) is not supported');
      } else if (c === ']') {
        // A ']' right after '[' is literal in Java.
        body += '\\]';
        this.i++;
      } else {
        const ch = readCodePoint(p, this.i);
        this.i += ch.length;
        body += ch === '-' ? '-' : ch === '/' || ch === '[' ? '\\' + ch : ch;
      }
    }
    if (p[this.i] !== ']') this.fail('Unclosed character class');
    this.i++;
    return (negated ? '[^' : '[') + body + ']';
  }
}

export interface JavaPattern {
  /** The JS regex without the global flag (use for single matches). */
  readonly regex: RegExp;
  /** The same regex with the global flag (for scans; reset lastIndex before use). */
  readonly global: RegExp;
  readonly groupCount: number;
}

const CACHE_LIMIT = 1000;
const cache = new Map<string, JavaPattern>();

/** Compiles a Java pattern (cached). Throws JavaPatternError on invalid or unsupported syntax. */
export function compileJavaPattern(pattern: string): JavaPattern {
  const hit = cache.get(pattern);
  if (hit) return hit;
  const { source, flags } = new Translator(pattern).translate();
  let regex: RegExp;
  try {
    regex = new RegExp(source, flags);
  } catch (e) {
    throw new JavaPatternError((e as Error).message, pattern);
  }
  const compiled: JavaPattern = {
    regex,
    global: new RegExp(source, flags + 'g'),
    groupCount: new RegExp(`${source}|`, flags).exec('')!.length - 1,
  };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(pattern, compiled);
  return compiled;
}

/** Matcher.find() repeatedly: every match, advancing past empty matches like Java. */
export function findAll(pattern: JavaPattern, input: string): RegExpExecArray[] {
  const re = pattern.global;
  re.lastIndex = 0;
  const matches: RegExpExecArray[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(input)) !== null) {
    matches.push(m);
    if (m[0].length === 0) {
      const cp = input.codePointAt(re.lastIndex);
      re.lastIndex += cp !== undefined && cp > 0xffff ? 2 : 1;
      if (re.lastIndex > input.length) break;
    }
  }
  return matches;
}

/**
 * Matcher.replaceAll with Java's replacement syntax: $n (the longest valid group number),
 * ${name}, and backslash escaping the next character.
 */
export function javaReplaceAll(pattern: JavaPattern, input: string, replacement: string): string {
  const parts = parseReplacement(replacement, pattern.groupCount);
  let out = '';
  let last = 0;
  for (const m of findAll(pattern, input)) {
    out += input.slice(last, m.index);
    for (const part of parts) {
      if (typeof part === 'string') out += part;
      else if (typeof part === 'number') out += m[part] ?? '';
      else {
        const named = m.groups?.[part.name];
        if (m.groups === undefined || !(part.name in m.groups)) throw new Error(`No group with name {${part.name}}`);
        out += named ?? '';
      }
    }
    last = m.index + m[0].length;
  }
  return out + input.slice(last);
}

type ReplacementPart = string | number | { name: string };

function parseReplacement(replacement: string, groupCount: number): ReplacementPart[] {
  const parts: ReplacementPart[] = [];
  let literal = '';
  let i = 0;
  while (i < replacement.length) {
    const c = replacement[i]!;
    if (c === '\\') {
      if (i + 1 >= replacement.length) throw new Error('character to be escaped is missing');
      literal += replacement[i + 1];
      i += 2;
    } else if (c === '$') {
      if (i + 1 >= replacement.length) throw new Error("Illegal group reference: group index is missing");
      if (replacement[i + 1] === '{') {
        const end = replacement.indexOf('}', i);
        if (end < 0) throw new Error("named capturing group is missing trailing '}'");
        parts.push(literal, { name: replacement.slice(i + 2, end) });
        literal = '';
        i = end + 1;
        continue;
      }
      let j = i + 1;
      if (!/[0-9]/.test(replacement[j]!)) throw new Error('Illegal group reference');
      let group = Number(replacement[j]);
      j++;
      // Java keeps consuming digits while the number is still a valid group.
      while (j < replacement.length && /[0-9]/.test(replacement[j]!)) {
        const next = group * 10 + Number(replacement[j]);
        if (next > groupCount) break;
        group = next;
        j++;
      }
      if (group > groupCount) throw new Error(`No group ${group}`);
      parts.push(literal, group);
      literal = '';
      i = j;
    } else {
      literal += c;
      i++;
    }
  }
  parts.push(literal);
  return parts.filter((p) => p !== '');
}

/**
 * Pattern.split(input, -1) (trailing empty strings kept), where a zero-width match at the start
 * of the input never produces a leading empty string (Java 8+).
 */
export function javaSplit(pattern: JavaPattern, input: string): string[] {
  const out: string[] = [];
  let last = 0;
  for (const m of findAll(pattern, input)) {
    const end = m.index + m[0].length;
    if (end === 0 && m.index === 0) continue;
    out.push(input.slice(last, m.index));
    last = end;
  }
  out.push(input.slice(last));
  return out;
}
