import { BUILT_IN_ROLES, type Principal } from '../../principal.js'
import { cloudOnly, invalid } from '../../errors.js'
import { VALIDATION } from '../model.js'

/**
 * Permission expressions (rest-data.md §8.4): `|` (or) over `&` (and) over atoms, with parentheses (RD-D10).
 * No negation exists, so an expression is monotone in `self`, which is what lets `list` reduce to always/never/self.
 */
export type Expr =
  | { t: 'or' | 'and'; items: Expr[] }
  | { t: 'atom'; name: 'user' | 'guest' | 'admin' | 'self' | 'public' }
  | { t: 'role'; name: string }

const TOKEN = /\s*(?:(\|)|(&)|(\()|(\))|(role:(?:\*|[A-Za-z0-9_-]+))|([A-Za-z]+)|(\S))/y
const ATOMS = new Set(['user', 'guest', 'admin', 'self', 'public'])
const cache = new Map<string, Expr>()

/**
 * Parses an expression, throwing `data/validation-error` naming the problem (expressions are checked on save).
 * Without `parentheses` (cloud-parity mode, README-D12) the grammar is the documented one, which has none.
 */
export function parseExpression(text: string, where = 'expression', { parentheses = true } = {}): Expr {
  const cached = parentheses ? cache.get(text) : undefined
  if (cached) return cached
  const tokens: string[] = []
  TOKEN.lastIndex = 0
  for (let m = TOKEN.exec(text); m && m.index < text.length; m = TOKEN.exec(text)) {
    if (m[0].trim() === '') break
    if (m[7] !== undefined) throw syntax(text, where, `unexpected "${m[7]}"`)
    tokens.push(m[0].trim())
  }
  let i = 0
  const or = (): Expr => {
    const items = [and()]
    while (tokens[i] === '|') {
      i++
      items.push(and())
    }
    return items.length === 1 ? (items[0] as Expr) : { t: 'or', items }
  }
  const and = (): Expr => {
    const items = [atom()]
    while (tokens[i] === '&') {
      i++
      items.push(atom())
    }
    return items.length === 1 ? (items[0] as Expr) : { t: 'and', items }
  }
  const atom = (): Expr => {
    const token = tokens[i++]
    if (token === undefined) throw syntax(text, where, 'unexpected end of expression')
    if (token === '(') {
      if (!parentheses) throw cloudOnly(syntax(text, where, 'unexpected "(": parentheses are an emulator extension the hosted service does not accept; write the expression without them (& binds tighter than |)'), 'parentheses in permission expressions')
      const inner = or()
      if (tokens[i++] !== ')') throw syntax(text, where, 'missing ")"')
      return inner
    }
    if (token.startsWith('role:')) return { t: 'role', name: token.slice(5) }
    if (ATOMS.has(token)) return { t: 'atom', name: token as 'user' }
    throw syntax(text, where, `unknown condition "${token}" (use user, guest, admin, self, public, role:NAME, role:*)`)
  }
  const expr = or()
  if (i < tokens.length) throw syntax(text, where, `unexpected "${tokens[i]}"`)
  if (cache.size > 1000) cache.clear()
  cache.set(text, expr)
  return expr
}

function syntax(text: string, where: string, message: string) {
  return invalid(VALIDATION, `Invalid permission expression ${JSON.stringify(text)} in ${where}: ${message}`, [{ field: where, rule: 'expression', message }])
}

/** Evaluates for a requester; `self` is whether the record at hand is (or will be) the requester's. */
export function evaluate(expr: Expr, principal: Principal, self: boolean): boolean {
  switch (expr.t) {
    case 'or':
      return expr.items.some((e) => evaluate(e, principal, self))
    case 'and':
      return expr.items.every((e) => evaluate(e, principal, self))
    case 'role':
      if (principal.role === null) return false
      return expr.name === '*' ? !(BUILT_IN_ROLES as readonly string[]).includes(principal.role) : principal.role === expr.name
    case 'atom':
      switch (expr.name) {
        case 'public':
        case 'guest':
          return true
        case 'user':
          return principal.userId !== null
        case 'admin':
          return principal.group === 'admin'
        case 'self':
          return self
      }
  }
}

/** What an expression means without a record: `self` means "only the requester's own records". */
export function reduce(expr: Expr, principal: Principal): 'always' | 'never' | 'self' {
  if (evaluate(expr, principal, false)) return 'always'
  return principal.userId !== null && evaluate(expr, principal, true) ? 'self' : 'never'
}
