import { invalid } from '../../errors.js'
import { VALIDATION } from '../model.js'

/**
 * Regular expressions that cannot stall the server. V8's backtracking engine can take exponential time on
 * patterns like `(a+)+$`, and a synchronous `RegExp.test` cannot be interrupted, so filters and schema patterns
 * run on this Thompson-NFA simulation instead: time is linear in the input for a given pattern, every run has a
 * step budget, and features that need backtracking (backreferences, lookaround) are rejected with a clear 400.
 * Single characters (literals, classes, escapes, `.`) are still tested by native RegExp, which keeps ECMAScript
 * semantics for classes, `\p{…}` and case folding.
 */

export const MAX_PATTERN_LENGTH = 512
const MAX_PROGRAM = 5000
/**
 * Steps (instruction visits) all the regexes of one request may spend together, across every value they test:
 * some 50 ms of matching, so one query cannot hold the event loop however many regexes and rows it has.
 */
export const DEFAULT_STEP_BUDGET = 3_000_000

/**
 * Time one request's regexes may hold the event loop. The step count is the deterministic limit, sized for the
 * optimised engine; before V8 has optimised it, or on a loaded machine, a step costs several times more, and what
 * must stay bounded is the stall other requests see, so the clock bounds it as well.
 */
export const MATCH_TIME_MS = 50
/** Steps every request may spend whatever the clock says, so a cheap query is never refused for a slow machine. */
const UNTIMED_STEPS = 1 << 18

/** A step allowance shared by every regex of one request (or one ajv validation). */
export class StepBudget {
  spent = 0
  /** When the first step was spent: the clock runs from the first match, not from when the query was parsed. */
  private started = 0
  constructor(
    readonly limit: number = DEFAULT_STEP_BUDGET,
    readonly timeMs: number = Infinity,
  ) {}

  reset(): void {
    this.spent = 0
  }

  /** Spends one step; false once the steps or the matching time are used up. */
  step(): boolean {
    if (++this.spent > this.limit) return false
    if (this.spent === 1) this.started = performance.now()
    return (this.spent & 4095) !== 0 || this.spent < UNTIMED_STEPS || performance.now() - this.started <= this.timeMs
  }
}

type Matcher = (cp: number) => boolean
type Node =
  | { t: 'char'; m: Matcher }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; items: Node[] }
  | { t: 'rep'; node: Node; min: number; max: number }
  | { t: 'assert'; kind: Assertion }
type Assertion = 'bol' | 'eol' | 'wb' | 'nwb'
type Inst = { op: 'char'; m: Matcher } | { op: 'split'; x: number; y: number } | { op: 'jmp'; x: number } | { op: 'assert'; kind: Assertion } | { op: 'match' }

const reject = (pattern: string, why: string) => invalid(VALIDATION, `Unsupported regular expression ${JSON.stringify(pattern)}: ${why}`, [{ field: '$regex', rule: 'pattern', message: why }])

class Parser {
  private i = 0
  constructor(
    private readonly src: string,
    private readonly flags: string,
  ) {}

  parse(): Node {
    const node = this.alternation()
    if (this.i < this.src.length) throw reject(this.src, `unexpected "${this.src[this.i]}"`)
    return node
  }

  private alternation(): Node {
    const items = [this.sequence()]
    while (this.src[this.i] === '|') {
      this.i++
      items.push(this.sequence())
    }
    return items.length === 1 ? (items[0] as Node) : { t: 'alt', items }
  }

  private sequence(): Node {
    const items: Node[] = []
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') items.push(this.quantified(this.atom()))
    return { t: 'seq', items }
  }

  private quantified(node: Node): Node {
    const rest = this.src.slice(this.i)
    const m = /^(?:([*+?])|\{(\d+)(,(\d*))?\})\??/.exec(rest)
    if (!m) return node
    if (node.t === 'assert') throw reject(this.src, 'an assertion cannot be quantified')
    this.i += m[0].length
    if (m[1]) return { t: 'rep', node, min: m[1] === '+' ? 1 : 0, max: m[1] === '?' ? 1 : Infinity }
    const min = Number(m[2])
    const max = m[3] === undefined ? min : m[4] === '' ? Infinity : Number(m[4])
    return { t: 'rep', node, min, max }
  }

  private atom(): Node {
    const c = this.src[this.i] as string
    if (c === '(') return this.group()
    if (c === '^' || c === '$') {
      this.i++
      return { t: 'assert', kind: c === '^' ? 'bol' : 'eol' }
    }
    if (c === '[') return this.char(this.classEnd())
    if (c === '\\') return this.escape()
    const cp = this.src.codePointAt(this.i) as number
    return this.char(this.i + String.fromCodePoint(cp).length)
  }

  private group(): Node {
    const rest = this.src.slice(this.i)
    if (/^\(\?(?:=|!|<=|<!)/.test(rest)) throw reject(this.src, 'lookahead and lookbehind are not supported')
    const named = /^\(\?<[A-Za-z_$][\w$]*>/.exec(rest)
    this.i += named ? named[0].length : rest.startsWith('(?:') ? 3 : 1
    const node = this.alternation()
    if (this.src[this.i] !== ')') throw reject(this.src, 'unbalanced parenthesis')
    this.i++
    return node
  }

  private escape(): Node {
    const next = this.src[this.i + 1] ?? ''
    if (next === 'b' || next === 'B') {
      this.i += 2
      return { t: 'assert', kind: next === 'b' ? 'wb' : 'nwb' }
    }
    if (/[1-9k]/.test(next)) throw reject(this.src, 'backreferences are not supported')
    const m = /^\\(?:[pP]\{[^}]*\}|u\{[0-9A-Fa-f]+\}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|c[A-Za-z]|[\s\S])/.exec(this.src.slice(this.i))
    return this.char(this.i + (m?.[0].length ?? 1))
  }

  /** Index just past the `]` closing the class that starts at `this.i`. */
  private classEnd(): number {
    let j = this.i + 1
    if (this.src[j] === '^') j++
    while (j < this.src.length && this.src[j] !== ']') j += this.src[j] === '\\' ? 2 : 1
    if (j >= this.src.length) throw reject(this.src, 'unterminated character class')
    return j + 1
  }

  /** A one-character atom tested by a native RegExp anchored around exactly that atom. */
  private char(end: number): Node {
    const text = this.src.slice(this.i, end)
    this.i = end
    const native = new RegExp(`^(?:${text})$`, `u${this.flags.replace(/[^is]/g, '')}`)
    const memo = new Map<number, boolean>()
    return {
      t: 'char',
      m: (cp) => {
        let hit = memo.get(cp)
        if (hit === undefined) {
          hit = native.test(String.fromCodePoint(cp))
          if (memo.size < 4096) memo.set(cp, hit)
        }
        return hit
      },
    }
  }
}

function compileProgram(node: Node, pattern: string): Inst[] {
  const prog: Inst[] = []
  const emit = (n: Node): void => {
    if (prog.length > MAX_PROGRAM) throw reject(pattern, 'the pattern is too large once its repetitions are expanded')
    switch (n.t) {
      case 'char':
        prog.push({ op: 'char', m: n.m })
        return
      case 'assert':
        prog.push({ op: 'assert', kind: n.kind })
        return
      case 'seq':
        n.items.forEach(emit)
        return
      case 'alt': {
        const jumps: Array<{ op: 'jmp'; x: number }> = []
        n.items.forEach((item, k) => {
          if (k < n.items.length - 1) {
            const split = { op: 'split' as const, x: prog.length + 1, y: 0 }
            prog.push(split)
            emit(item)
            const jmp = { op: 'jmp' as const, x: 0 }
            prog.push(jmp)
            jumps.push(jmp)
            split.y = prog.length
          } else emit(item)
        })
        for (const jmp of jumps) jmp.x = prog.length
        return
      }
      case 'rep': {
        for (let k = 0; k < n.min; k++) emit(n.node)
        if (n.max === Infinity) {
          const split = { op: 'split' as const, x: prog.length + 1, y: 0 }
          const loop = prog.length
          prog.push(split)
          emit(n.node)
          prog.push({ op: 'jmp', x: loop })
          split.y = prog.length
          return
        }
        const splits: Array<{ op: 'split'; x: number; y: number }> = []
        for (let k = n.min; k < n.max; k++) {
          const split = { op: 'split' as const, x: prog.length + 1, y: 0 }
          prog.push(split)
          splits.push(split)
          emit(n.node)
        }
        for (const split of splits) split.y = prog.length
      }
    }
  }
  emit(node)
  prog.push({ op: 'match' })
  return prog
}

const LINE_END = new Set([0x0a, 0x0d, 0x2028, 0x2029])
const isWord = (cp: number | undefined) => cp !== undefined && ((cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122) || cp === 95)

/** A compiled pattern with a `test` that never runs longer than its step budget. */
export class BoundedRegExp {
  private readonly prog: Inst[]
  private readonly multiline: boolean
  /** Starts with `^` outside multiline mode: only the attempt at position 0 can match. */
  private readonly anchored: boolean

  constructor(
    readonly source: string,
    readonly flags: string,
    private readonly budget: StepBudget = new StepBudget(),
  ) {
    if (source.length > MAX_PATTERN_LENGTH) throw reject(source, `patterns are limited to ${MAX_PATTERN_LENGTH} characters`)
    if (!/^[ims]*$/.test(flags)) throw reject(source, 'allowed options are i, m and s')
    try {
      new RegExp(source, `u${flags}`)
    } catch (error) {
      throw invalid(VALIDATION, `Invalid regular expression ${JSON.stringify(source)}: ${(error as Error).message}`, [{ field: '$regex', rule: 'pattern', message: 'invalid regular expression' }])
    }
    this.multiline = flags.includes('m')
    this.prog = compileProgram(new Parser(source, flags).parse(), source)
    const first = this.prog[0]
    this.anchored = !this.multiline && first?.op === 'assert' && first.kind === 'bol'
  }

  /** Starts a fresh budget (ajv reuses one compiled pattern for every validation). */
  resetBudget(): void {
    this.budget.reset()
  }

  toString(): string {
    return `/${this.source}/${this.flags}`
  }

  /** Unanchored search, like `RegExp.prototype.test`. */
  test(input: string): boolean {
    const cps = Array.from(input, (ch) => ch.codePointAt(0) as number)
    const seen = new Int32Array(this.prog.length).fill(-1)
    let current: number[] = []
    let generation = 0
    const add = (list: number[], start: number, pos: number): boolean => {
      const stack = [start]
      while (stack.length > 0) {
        const pc = stack.pop() as number
        if (seen[pc] === generation) continue
        seen[pc] = generation
        if (!this.budget.step()) throw this.tooExpensive()
        const inst = this.prog[pc] as Inst
        switch (inst.op) {
          case 'match':
            return true
          case 'char':
            list.push(pc)
            break
          case 'jmp':
            stack.push(inst.x)
            break
          case 'split':
            stack.push(inst.y, inst.x)
            break
          case 'assert':
            if (this.holds(inst.kind, cps, pos)) stack.push(pc + 1)
        }
      }
      return false
    }
    if (add(current, 0, 0)) return true
    for (let pos = 0; pos < cps.length; pos++) {
      generation++
      const next: number[] = []
      const cp = cps[pos] as number
      for (const pc of current) {
        const inst = this.prog[pc] as Inst & { op: 'char' }
        if (inst.m(cp) && add(next, pc + 1, pos + 1)) return true
      }
      // Unanchored search: a new attempt starts at every position, sharing the thread list (linear time).
      if (!this.anchored && add(next, 0, pos + 1)) return true
      if (next.length === 0 && this.anchored) return false
      current = next
    }
    return false
  }

  private tooExpensive() {
    const time = this.budget.timeMs === Infinity ? '' : ` or ${this.budget.timeMs} ms`
    const message = `the regular expressions of one query may take ${this.budget.limit.toLocaleString('en')} matching steps${time} in all`
    return invalid(VALIDATION, `The regular expression ${JSON.stringify(this.source)} is too expensive to evaluate on this data (${message}); simplify it or narrow the query`, [{ field: '$regex', rule: 'pattern', message: 'evaluation budget exceeded' }])
  }

  private holds(kind: Assertion, cps: number[], pos: number): boolean {
    switch (kind) {
      case 'bol':
        return pos === 0 || (this.multiline && LINE_END.has(cps[pos - 1] as number))
      case 'eol':
        return pos === cps.length || (this.multiline && LINE_END.has(cps[pos] as number))
      case 'wb':
        return isWord(cps[pos - 1]) !== isWord(cps[pos])
      case 'nwb':
        return isWord(cps[pos - 1]) === isWord(cps[pos])
    }
  }
}

/** ajv's `code.regExp` hook: schema `pattern`s run on the bounded engine, each validation with a fresh budget. */
export const boundedRegExpEngine = Object.assign(
  (pattern: string) => {
    const regex = new BoundedRegExp(pattern, '')
    return { test: (input: string) => (regex.resetBudget(), regex.test(input)), toString: () => regex.toString() }
  },
  { code: 'boundedRegExp' },
)
