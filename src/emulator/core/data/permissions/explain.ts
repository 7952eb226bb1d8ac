import type { Principal } from '../../principal.js'
import { evaluate, type Expr } from './expression.js'

/**
 * The values the evaluator decided with, as a request's Denial shows them: who asked (ids and group, never a
 * credential) and what each condition of an expression evaluated to for them.
 */
export function callerOf(principal: Principal): { group: string; role: string | null; userId: string | null; via: string } {
  return { group: principal.group, role: principal.role, userId: principal.userId, via: principal.via }
}

/** Every condition of an expression (`user`, `self`, `role:editor`, …) and its value for this requester. */
export function conditionValues(expr: Expr, principal: Principal, self: boolean): Record<string, boolean> {
  const values: Record<string, boolean> = {}
  const walk = (e: Expr): void => {
    if (e.t === 'atom') values[e.name] = evaluate(e, principal, self)
    else if (e.t === 'role') values[`role:${e.name}`] = evaluate(e, principal, self)
    else e.items.forEach(walk)
  }
  walk(expr)
  return values
}
