import type { MailboxMessage } from '../../../src/contract/mailbox.js'
import type { RequestEvent } from '../../../src/contract/request-log.js'

let n = 0

/** A request event as the request log holds it; `over` sets what a test looks at. */
export function requestEvent(over: Partial<RequestEvent> = {}): RequestEvent {
  n++
  return { event: 'request', time: '2026-12-01T10:11:12.345Z', id: `req-${n}`, method: 'GET', path: `/v1/data/posts/${n}`, status: 200, durationMs: 2, environment: 'dev', who: { kind: 'guest' }, ...over }
}

/** A captured e-mail. */
export function mail(over: Partial<MailboxMessage> = {}): MailboxMessage {
  n++
  return { id: `mail-${n}`, projectId: 'p', environmentId: 'e', type: 'signup_confirmation', to: 'ada@example.com', from: 'no-reply@example.com', subject: 'Confirm your sign-up', html: '', text: '', token: `token-${n}`, link: `http://127.0.0.1:4100/v1/auth/signup/email/confirm?token=token-${n}`, createdAt: '2026-12-01T10:11:12.000Z', ...over }
}
