// Patterns from settings (glob keys of `markdown.copyFiles.destination`, `${name/pattern/replacement/}`
// transforms) matched in time linear in the input: both are compiled into one small program and run by a
// Pike VM (Thompson's construction with captures, leftmost-first like JavaScript's backtracking engine),
// which keeps at most one thread per instruction and so never backtracks. A workspace setting is
// untrusted text: `{*,*}` × 14 or `[^!]*` × 8 hang a backtracking engine, here they cost O(input × pattern).
// Regular expressions are read in a checked subset (no back-references, no lookaround, no named groups);
// anything else is refused, never handed to `RegExp`.

/** Longest pattern read (a glob key or a transform's regular expression). */
export const PATTERN_MAX_LENGTH = 256;
/** Largest compiled program: counted repetitions such as `a{1000}` expand into copies. */
const PROGRAM_MAX_SIZE = 4_000;

type Assertion = 'start' | 'end' | 'wordBoundary' | 'notWordBoundary';

type Node =
  | { type: 'char'; test: (code: number) => boolean }
  | { type: 'seq'; items: Node[] }
  | { type: 'alt'; options: Node[] }
  | { type: 'repeat'; node: Node; min: number; max: number; greedy: boolean }
  | { type: 'group'; node: Node; index: number }
  | { type: 'assert'; kind: Assertion };

type Instruction =
  | { op: 'char'; test: (code: number) => boolean }
  | { op: 'split'; first: number; second: number }
  | { op: 'jump'; to: number }
  | { op: 'save'; slot: number }
  | { op: 'assert'; kind: Assertion }
  | { op: 'match' };

/** A compiled pattern: `groups` capturing groups besides the whole match. */
export interface LinearPattern {
  readonly program: readonly Instruction[];
  readonly groups: number;
}

/** A pattern this matcher does not run (too long, too large, or outside the subset). */
export class UnsupportedPattern extends Error {}
/** Not a regular expression at all: JavaScript would refuse it too. */
export class InvalidPattern extends UnsupportedPattern {}

// ----- globs ---------------------------------------------------------------------------------------------------

const SLASH = 0x2f;
const anyChar = () => true;
const notSlash = (code: number) => code !== SLASH;

/**
 * A glob as VS Code's Markdown extension reads `markdown.copyFiles.destination` keys (picomatch, `dot: true`):
 * `**`, `*`, `?`, `[…]`, `[!…]`, `{a,b}` and `\` escapes over POSIX paths, matched against the whole path.
 */
export function compileGlob(glob: string): LinearPattern {
  if (glob.length > PATTERN_MAX_LENGTH) throw new UnsupportedPattern('too long');
  // One frame per open brace: its finished alternatives and the one being read.
  const frames: { options: Node[]; items: Node[] }[] = [{ options: [], items: [] }];
  const top = () => frames[frames.length - 1];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const wholeSegment = (i === 0 || glob[i - 1] === '/') && (i + 2 === glob.length || glob[i + 2] === '/');
      const anything: Node = { type: 'repeat', node: { type: 'char', test: anyChar }, min: 0, max: Infinity, greedy: true };
      if (wholeSegment && glob[i + 2] === '/') {
        top().items.push({ type: 'repeat', node: { type: 'seq', items: [anything, literal('/')] }, min: 0, max: 1, greedy: true });
        i += 2;
      } else {
        top().items.push(anything);
        i += 1;
      }
    } else if (c === '*') top().items.push({ type: 'repeat', node: { type: 'char', test: notSlash }, min: 0, max: Infinity, greedy: true });
    else if (c === '?') top().items.push({ type: 'char', test: notSlash });
    else if (c === '[' && glob.indexOf(']', i + 2) !== -1) {
      const close = glob.indexOf(']', i + 2);
      top().items.push(globClass(glob.slice(i + 1, close)));
      i = close;
    } else if (c === '{') frames.push({ options: [], items: [] });
    else if (c === '}' && frames.length > 1) closeBrace(frames);
    else if (c === ',' && frames.length > 1) {
      top().options.push({ type: 'seq', items: top().items });
      top().items = [];
    } else top().items.push(literal(c === '\\' && i + 1 < glob.length ? glob[++i] : c));
  }
  while (frames.length > 1) closeBrace(frames); // an unclosed brace ends with the glob
  return compile({ type: 'seq', items: [...frames[0].items, { type: 'assert', kind: 'end' }] }, 0);
}

function closeBrace(frames: { options: Node[]; items: Node[] }[]): void {
  const frame = frames.pop()!;
  const options = [...frame.options, { type: 'seq', items: frame.items } as Node];
  frames[frames.length - 1].items.push({ type: 'alt', options });
}

function globClass(body: string): Node {
  const negated = body.startsWith('!') || body.startsWith('^');
  const ranges: [number, number][] = [];
  const chars = [...(negated ? body.slice(1) : body).replace(/\\(.)/g, '$1')].map((ch) => ch.charCodeAt(0));
  for (let i = 0; i < chars.length; i++) {
    if (chars[i + 1] === 0x2d && i + 2 < chars.length) {
      ranges.push([chars[i], chars[i + 2]]);
      i += 2;
    } else ranges.push([chars[i], chars[i]]);
  }
  const inRanges = (code: number) => ranges.some(([low, high]) => code >= low && code <= high);
  return { type: 'char', test: negated ? (code) => code !== SLASH && !inRanges(code) : inRanges };
}

function literal(ch: string): Node {
  const expected = ch.charCodeAt(0);
  return { type: 'char', test: (code) => code === expected };
}

/** Whether the whole `input` matches. */
export function matchesWhole(pattern: LinearPattern, input: string): boolean {
  return execute(pattern, input, true) !== undefined;
}

// ----- regular expressions (the checked subset) ----------------------------------------------------------------

/**
 * A JavaScript regular expression without flags, as `new RegExp(source)` reads it, limited to: literals and
 * escapes, `.`, classes, `\d\w\s` and their negations, groups `(…)` and `(?:…)`, `|`, greedy and lazy
 * `* + ? {n} {n,} {n,m}`, `^ $ \b \B`. Throws UnsupportedPattern for anything else.
 */
export function compileRegExp(source: string): LinearPattern {
  if (source.length > PATTERN_MAX_LENGTH) throw new UnsupportedPattern('too long');
  const parser = new RegExpParser(source);
  const node = parser.parseAlternation();
  if (parser.position < source.length) throw new InvalidPattern(`unexpected ${source[parser.position]}`);
  return compile(node, parser.groups);
}

/** `input` with the first match of `pattern` replaced, `$1`, `$&`, `` $` ``, `$'` and `$$` read as String.replace does. */
export function replaceFirst(pattern: LinearPattern, input: string, replacement: string): string {
  const slots = execute(pattern, input, false);
  if (!slots) return input;
  const [start, end] = slots;
  const group = (n: number) => (slots[2 * n] >= 0 && slots[2 * n + 1] >= 0 ? input.slice(slots[2 * n], slots[2 * n + 1]) : '');
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i];
    const next = replacement[i + 1];
    if (c !== '$' || next === undefined) out += c;
    else if (next === '$') (out += '$'), i++;
    else if (next === '&') (out += input.slice(start, end)), i++;
    else if (next === '`') (out += input.slice(0, start)), i++;
    else if (next === "'") (out += input.slice(end)), i++;
    else if (/[0-9]/.test(next)) {
      const two = Number(replacement.slice(i + 1, i + 3));
      const one = Number(next);
      if (/^[0-9]{2}$/.test(replacement.slice(i + 1, i + 3)) && two >= 1 && two <= pattern.groups) (out += group(two)), (i += 2);
      else if (one >= 1 && one <= pattern.groups) (out += group(one)), i++;
      else out += c;
    } else out += c;
  }
  return input.slice(0, start) + out + input.slice(end);
}

const WORD = /\w/;
const SPACE = /\s/;
const isWord = (code: number) => WORD.test(String.fromCharCode(code));
const isSpace = (code: number) => SPACE.test(String.fromCharCode(code));
const isDigit = (code: number) => code >= 0x30 && code <= 0x39;
const isLineTerminator = (code: number) => code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029;
const CLASS_ESCAPES: Partial<Record<string, (code: number) => boolean>> = {
  d: isDigit,
  D: (code) => !isDigit(code),
  w: isWord,
  W: (code) => !isWord(code),
  s: isSpace,
  S: (code) => !isSpace(code),
};
const CONTROL_ESCAPES: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13 };

class RegExpParser {
  position = 0;
  groups = 0;

  constructor(private readonly source: string) {}

  parseAlternation(): Node {
    const options = [this.parseSequence()];
    while (this.source[this.position] === '|') {
      this.position++;
      options.push(this.parseSequence());
    }
    return options.length === 1 ? options[0] : { type: 'alt', options };
  }

  private parseSequence(): Node {
    const items: Node[] = [];
    while (this.position < this.source.length && this.source[this.position] !== '|' && this.source[this.position] !== ')') {
      const atom = this.parseAtom();
      items.push(atom.type === 'assert' ? atom : this.parseQuantifier(atom));
    }
    return { type: 'seq', items };
  }

  private parseQuantifier(atom: Node): Node {
    const c = this.source[this.position];
    let min: number;
    let max: number;
    if (c === '*' || c === '+' || c === '?') {
      this.position++;
      [min, max] = c === '*' ? [0, Infinity] : c === '+' ? [1, Infinity] : [0, 1];
    } else {
      const counted = c === '{' ? /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.position)) : null;
      if (!counted) return atom;
      this.position += counted[0].length;
      min = Number(counted[1]);
      max = counted[2] === undefined ? min : counted[3] === '' ? Infinity : Number(counted[3]);
      if (max < min) throw new InvalidPattern('numbers out of order');
      if (min > PROGRAM_MAX_SIZE || (max !== Infinity && max > PROGRAM_MAX_SIZE)) throw new UnsupportedPattern('repetition too large');
    }
    const greedy = this.source[this.position] !== '?';
    if (!greedy) this.position++;
    return { type: 'repeat', node: atom, min, max, greedy };
  }

  private parseAtom(): Node {
    const c = this.source[this.position++];
    switch (c) {
      case '^':
        return { type: 'assert', kind: 'start' };
      case '$':
        return { type: 'assert', kind: 'end' };
      case '.':
        return { type: 'char', test: (code) => !isLineTerminator(code) };
      case '[':
        return this.parseClass();
      case '(':
        return this.parseGroup();
      case '\\':
        return this.parseEscape();
      default:
        if (c === '*' || c === '+' || c === '?') throw new InvalidPattern('nothing to repeat');
        return literal(c);
    }
  }

  private parseGroup(): Node {
    let index: number | undefined;
    if (this.source.startsWith('?:', this.position)) this.position += 2;
    else if (this.source[this.position] === '?') throw new UnsupportedPattern('lookaround and named groups are not supported');
    else index = ++this.groups;
    const node = this.parseAlternation();
    if (this.source[this.position++] !== ')') throw new InvalidPattern('unclosed group');
    return index === undefined ? node : { type: 'group', node, index };
  }

  private parseEscape(): Node {
    const c = this.source[this.position++];
    if (c === undefined) throw new InvalidPattern('trailing backslash');
    if (c === 'b') return { type: 'assert', kind: 'wordBoundary' };
    if (c === 'B') return { type: 'assert', kind: 'notWordBoundary' };
    const test = CLASS_ESCAPES[c];
    if (test) return { type: 'char', test };
    const code = this.escapedCode(c);
    return { type: 'char', test: (other) => other === code };
  }

  /** The code unit of an escape that stands for one character (`\n`, `\x41`, `\.`…). */
  private escapedCode(c: string): number {
    if (c in CONTROL_ESCAPES) return CONTROL_ESCAPES[c];
    const digitFollows = /[0-9]/.test(this.source[this.position] ?? '');
    if (c === '0' && !digitFollows) return 0;
    const hexLength = c === 'x' ? 2 : c === 'u' ? 4 : 0;
    const hex = this.source.slice(this.position, this.position + hexLength);
    if (hexLength && hex.length === hexLength && /^[0-9a-fA-F]+$/.test(hex)) {
      this.position += hexLength;
      return parseInt(hex, 16);
    }
    // Back-references, octal, `\c`, `\k`, `\p` and half-written `\x`/`\u` mean something else in each mode: refused.
    if (/[0-9ckpPux]/.test(c)) throw new UnsupportedPattern(`\\${c} is not supported`);
    return c.charCodeAt(0); // an identity escape: `\.`, `\/`, `\-`…
  }

  private parseClass(): Node {
    const negated = this.source[this.position] === '^';
    if (negated) this.position++;
    const tests: ((code: number) => boolean)[] = [];
    while (this.source[this.position] !== ']') {
      if (this.position >= this.source.length) throw new InvalidPattern('unclosed class');
      const low = this.classAtom();
      if (this.source[this.position] === '-' && this.source[this.position + 1] !== ']' && this.position + 1 < this.source.length && typeof low === 'number') {
        this.position++;
        const high = this.classAtom();
        if (typeof high !== 'number') throw new UnsupportedPattern('a range ends with a class');
        tests.push((code) => code >= low && code <= high);
      } else tests.push(typeof low === 'number' ? (code) => code === low : low);
    }
    this.position++;
    const inClass = (code: number) => tests.some((test) => test(code));
    return { type: 'char', test: negated ? (code) => !inClass(code) : inClass };
  }

  /** One character of a class (its code unit), or a class escape such as `\d`. */
  private classAtom(): number | ((code: number) => boolean) {
    const c = this.source[this.position++];
    if (c !== '\\') return c.charCodeAt(0);
    const escaped = this.source[this.position++];
    if (escaped === undefined) throw new InvalidPattern('trailing backslash');
    if (escaped === 'b') return 8;
    return CLASS_ESCAPES[escaped] ?? this.escapedCode(escaped);
  }
}

// ----- the program and its machine -----------------------------------------------------------------------------

function compile(node: Node, groups: number): LinearPattern {
  const program: Instruction[] = [{ op: 'save', slot: 0 }];
  const emit = (instruction: Instruction) => {
    if (program.length >= PROGRAM_MAX_SIZE) throw new UnsupportedPattern('pattern too large');
    program.push(instruction);
    return program.length - 1;
  };
  const visit = (current: Node): void => {
    switch (current.type) {
      case 'char':
        emit({ op: 'char', test: current.test });
        return;
      case 'assert':
        emit({ op: 'assert', kind: current.kind });
        return;
      case 'seq':
        current.items.forEach(visit);
        return;
      case 'group':
        emit({ op: 'save', slot: 2 * current.index });
        visit(current.node);
        emit({ op: 'save', slot: 2 * current.index + 1 });
        return;
      case 'alt': {
        const exits: number[] = [];
        current.options.forEach((option, i) => {
          const last = i === current.options.length - 1;
          const split = last ? -1 : emit({ op: 'split', first: 0, second: 0 });
          visit(option);
          if (last) return;
          exits.push(emit({ op: 'jump', to: 0 }));
          program[split] = { op: 'split', first: split + 1, second: program.length };
        });
        for (const exit of exits) program[exit] = { op: 'jump', to: program.length };
        return;
      }
      case 'repeat': {
        for (let i = 0; i < current.min; i++) visit(current.node);
        if (current.max === Infinity) {
          const split = emit({ op: 'split', first: 0, second: 0 });
          visit(current.node);
          emit({ op: 'jump', to: split });
          program[split] = ordered(split + 1, program.length, current.greedy);
          return;
        }
        const splits: number[] = [];
        for (let i = current.min; i < current.max; i++) {
          splits.push(emit({ op: 'split', first: 0, second: 0 }));
          visit(current.node);
        }
        for (const split of splits) program[split] = ordered(split + 1, program.length, current.greedy);
        return;
      }
    }
  };
  visit(node);
  emit({ op: 'save', slot: 1 });
  emit({ op: 'match' });
  return { program, groups };
}

function ordered(body: number, exit: number, greedy: boolean): Instruction {
  return greedy ? { op: 'split', first: body, second: exit } : { op: 'split', first: exit, second: body };
}

interface Thread {
  pc: number;
  slots: number[];
}

/**
 * The slots (start and end of the match, then of each group; -1 when unset) of the leftmost-first match,
 * or undefined. `anchored`: only a match that starts at 0. Time O(input × program), no backtracking.
 */
function execute({ program, groups }: LinearPattern, input: string, anchored: boolean): number[] | undefined {
  const seen = new Int32Array(program.length).fill(-1);
  const holds = (kind: Assertion, at: number): boolean => {
    if (kind === 'start') return at === 0;
    if (kind === 'end') return at === input.length;
    const boundary = (at > 0 && isWord(input.charCodeAt(at - 1))) !== (at < input.length && isWord(input.charCodeAt(at)));
    return kind === 'wordBoundary' ? boundary : !boundary;
  };
  // Follows jumps, splits (first branch first: priority order), saves and assertions from `pc` at `at`.
  const add = (list: Thread[], pc: number, slots: number[], at: number): void => {
    if (seen[pc] === at) return;
    seen[pc] = at;
    const instruction = program[pc];
    switch (instruction.op) {
      case 'jump':
        return add(list, instruction.to, slots, at);
      case 'split':
        add(list, instruction.first, slots, at);
        return add(list, instruction.second, slots, at);
      case 'save': {
        const copy = slots.slice();
        copy[instruction.slot] = at;
        return add(list, pc + 1, copy, at);
      }
      case 'assert':
        if (holds(instruction.kind, at)) add(list, pc + 1, slots, at);
        return;
      default:
        list.push({ pc, slots });
    }
  };
  const empty = new Array<number>(2 * (groups + 1)).fill(-1);
  let current: Thread[] = [];
  let matched: number[] | undefined;
  for (let at = 0; at <= input.length; at++) {
    // A new attempt starting here ranks below every attempt that started earlier.
    if (!matched && (at === 0 || !anchored)) add(current, 0, empty, at);
    if (current.length === 0 && (matched || anchored)) break;
    const next: Thread[] = [];
    const code = at < input.length ? input.charCodeAt(at) : -1;
    for (const thread of current) {
      const instruction = program[thread.pc];
      if (instruction.op === 'match') {
        matched = thread.slots;
        break; // the threads after this one have lower priority
      }
      if (instruction.op === 'char' && code >= 0 && instruction.test(code)) add(next, thread.pc + 1, thread.slots, at + 1);
    }
    current = next;
  }
  return matched;
}
