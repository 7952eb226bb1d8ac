import { invalid } from '../../../core/errors.js'
import { escapeHtml as e } from '../../pages/page.js'
import type { ConsoleContext, ConsolePage } from '../context.js'
import { confirmed, confirmForm, confirmPage, done, envPath } from '../layout.js'

const PATH = '/o/:org/p/:project/e/:env/clock'
const UNITS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 }

/**
 * The emulator's clock (the `/_emulator/clock` control): its offset from real time, advancing and resetting it.
 * It is the emulator's, not the organization's, so any member may move it, as any tenant token may.
 */
export const clockPage: ConsolePage = {
  nav: { label: 'Clock', page: 'clock' },
  routes: [
    { method: 'GET', path: PATH, level: 'env', handle: (ctx) => render(ctx) },
    {
      method: 'POST',
      path: `${PATH}/advance`,
      level: 'env',
      handle: (ctx) => {
        const amount = Number(ctx.form.amount)
        const unit = UNITS[ctx.form.unit ?? 'seconds']
        if (!Number.isFinite(amount) || ctx.form.amount?.trim() === '' || unit === undefined) throw invalid('common/invalid-parameters', 'Give the amount as a number and a unit of seconds, minutes, hours or days')
        ctx.core.clock.advance(amount * unit)
        return done(clockPath(ctx), `Clock moved by ${amount} ${ctx.form.unit ?? 'seconds'}`)
      },
    },
    {
      method: 'POST',
      path: `${PATH}/reset`,
      level: 'env',
      handle: (ctx) => {
        if (!confirmed(ctx)) return { ...confirmPage(`${clockPath(ctx)}/reset`, RESET_MESSAGE, clockPath(ctx), ctx.form), page: 'clock' }
        ctx.core.clock.setOffset(0)
        return done(clockPath(ctx), 'Clock back to real time')
      },
    },
  ],
}

const RESET_MESSAGE = 'Set the clock back to real time? Tokens and links issued in the shifted time may expire at once.'
const clockPath = (ctx: ConsoleContext) => `${envPath(ctx)}/clock`

function render(ctx: ConsoleContext) {
  const clock = ctx.core.clock
  const units = Object.keys(UNITS).map((u) => `<option${u === 'hours' ? ' selected' : ''}>${u}</option>`).join('')
  const body = `<dl class="card" id="clock"><dt>Emulator now</dt><dd id="clock-now">${e(clock.iso())}</dd><dt>Offset from real time</dt><dd id="clock-offset">${e(offsetText(clock.offsetSeconds))}</dd></dl>
<p class="muted">Every expiry (tokens, links, sessions of your app's users) reads this clock. The console's own session does not.</p>
<h2>Advance</h2><form class="inline" method="post" action="${e(`${clockPath(ctx)}/advance`)}" id="advance-form">
<label for="amount">Amount<input id="amount" name="amount" inputmode="decimal" required value="1"></label>
<label for="unit">Unit<select id="unit" name="unit">${units}</select></label><button type="submit">Advance</button></form>
<p class="muted">A negative amount moves the clock back.</p>
<h2>Reset</h2>${confirmForm(`${clockPath(ctx)}/reset`, 'Reset to real time', RESET_MESSAGE, 'reset-clock')}`
  return { title: 'Clock', page: 'clock', body }
}

/** `+1d 2h 0m 5s` from seconds; `0s` when not shifted. */
export function offsetText(seconds: number): string {
  if (seconds === 0) return '0s (real time)'
  const sign = seconds < 0 ? '-' : '+'
  let rest = Math.abs(seconds)
  const parts: string[] = []
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`)
      rest %= size
    }
  }
  if (rest > 0 || parts.length === 0) parts.push(`${Number(rest.toFixed(3))}s`)
  return sign + parts.join(' ')
}
