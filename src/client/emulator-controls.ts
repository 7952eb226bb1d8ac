import type { Page } from '../contract/common.js'
import { KEY_LOOKUP_PATH, type ClockState, type HealthResponse, type KeyLookup } from '../contract/emulator.js'
import { MAILBOX_PATH, type MailboxDeleteResponse, type MailboxMessage, type MailboxQuery } from '../contract/mailbox.js'
import { RestClient } from './rest.js'

/**
 * The local emulator's controls (`/_emulator/clock`, `/_emulator/mailbox`): plain REST with the tenant token as
 * bearer. They exist only in `bkend dev`; commands check the target before building one of these.
 */
export class EmulatorControls {
  private readonly rest: RestClient

  constructor(origin: string, tenantToken: string) {
    this.rest = new RestClient({ restUrl: origin, bearer: tenantToken, connections: 1 })
  }

  /** `/_emulator/health`: answers once the emulator serves requests. */
  health(): Promise<HealthResponse> {
    return this.rest.get('/_emulator/health')
  }

  clock(): Promise<ClockState> {
    return this.rest.get('/_emulator/clock')
  }

  /** Moves the emulator's clock by some seconds (negative goes back) and returns the new state. */
  advanceClock(seconds: number): Promise<ClockState> {
    return this.rest.post('/_emulator/clock', { advanceSeconds: seconds })
  }

  /** Sets the clock's total shift from real time (0 = real time). */
  setClockOffset(seconds: number): Promise<ClockState> {
    return this.rest.post('/_emulator/clock', { offsetSeconds: seconds })
  }

  /** The project and environment an API key belongs to; a RestError with status 404 when the emulator knows no such key. */
  lookupKey(key: string): Promise<KeyLookup> {
    return this.rest.post(KEY_LOOKUP_PATH, { key })
  }

  /** Captured e-mails, newest first. */
  listMail(query: MailboxQuery = {}): Promise<Page<MailboxMessage>> {
    return this.rest.get(MAILBOX_PATH, { ...query })
  }

  getMail(id: string): Promise<MailboxMessage> {
    return this.rest.get(`${MAILBOX_PATH}/${encodeURIComponent(id)}`)
  }

  /** Deletes every captured e-mail. */
  clearMail(): Promise<MailboxDeleteResponse> {
    return this.rest.delete(MAILBOX_PATH)
  }

  close(): Promise<void> {
    return this.rest.close()
  }
}
