import type { Page } from '../contract/common.js'
import { CONSOLE_SIGNIN_URL_PATH, KEY_LOOKUP_PATH, RESET_PATH, SNAPSHOTS_PATH, type ClockState, type ConsoleSignInUrl, type HealthResponse, type KeyLookup, type ResetRequest, type ResetResponse, type SnapshotList, type SnapshotSummary } from '../contract/emulator.js'
import { FAULTS_PATH, type FaultList, type FaultRule, type FaultRuleInput, type FaultsRemoved } from '../contract/faults.js'
import { MAILBOX_PATH, type MailboxDeleteResponse, type MailboxMessage, type MailboxQuery } from '../contract/mailbox.js'
import { PUSH_PATH, type PushRequest, type PushResponse } from '../contract/push.js'
import { LOGS_PATH, type LogList, type RequestEvent } from '../contract/request-log.js'
import { ClientError } from './errors.js'
import { RestClient } from './rest.js'

/** The filters of `/_emulator/logs` (docs/emulator.md, "Request log"); the emulator validates them. */
export interface LogFilters {
  env?: string
  status?: string
  path?: string
  method?: string
  limit?: number
}

/**
 * The local emulator's controls (`/_emulator/clock`, `/_emulator/mailbox`, `/_emulator/reset`, `/_emulator/snapshots`, `/_emulator/faults`): plain REST with the tenant token as
 * bearer. They exist only in `bkend dev`; commands check the target before building one of these. Failures name
 * the emulator's conditions: no answer is `target/no-emulator`, a refused token says it was the tenant token.
 */
export class EmulatorControls {
  private readonly rest: RestClient

  constructor(private readonly origin: string, tenantToken: string) {
    this.rest = new RestClient({ restUrl: origin, bearer: tenantToken, connections: 1 })
  }

  /** `/_emulator/health`: answers once the emulator serves requests. */
  health(): Promise<HealthResponse> {
    return this.rest.get('/_emulator/health')
  }

  clock(): Promise<ClockState> {
    return this.control(this.rest.get('/_emulator/clock'))
  }

  /** Moves the emulator's clock by some seconds (negative goes back) and returns the new state. */
  advanceClock(seconds: number): Promise<ClockState> {
    return this.control(this.rest.post('/_emulator/clock', { advanceSeconds: seconds }))
  }

  /** Sets the clock's total shift from real time (0 = real time). */
  setClockOffset(seconds: number): Promise<ClockState> {
    return this.control(this.rest.post('/_emulator/clock', { offsetSeconds: seconds }))
  }

  /** The project and environment an API key belongs to; a ClientError with status 404 when the emulator knows no such key. */
  lookupKey(key: string): Promise<KeyLookup> {
    return this.rest.post(KEY_LOOKUP_PATH, { key })
  }

  /** Captured e-mails, newest first. */
  listMail(query: MailboxQuery = {}): Promise<Page<MailboxMessage>> {
    return this.control(this.rest.get(MAILBOX_PATH, { ...query }))
  }

  getMail(id: string): Promise<MailboxMessage> {
    return this.control(this.rest.get(`${MAILBOX_PATH}/${encodeURIComponent(id)}`), id)
  }

  /** Deletes every captured e-mail. */
  clearMail(): Promise<MailboxDeleteResponse> {
    return this.control(this.rest.delete(MAILBOX_PATH))
  }

  /** Empties an environment's data (records, users, files); its tables, keys and settings stay. */
  reset(request: ResetRequest = {}): Promise<ResetResponse> {
    return this.control(this.rest.post(RESET_PATH, { ...request }))
  }

  listSnapshots(): Promise<SnapshotList> {
    return this.control(this.rest.get(SNAPSHOTS_PATH))
  }

  /** Saves the whole emulator state under `name`, replacing a snapshot of that name once the new one is complete. */
  saveSnapshot(name: string): Promise<SnapshotSummary> {
    return this.control(this.rest.post(SNAPSHOTS_PATH, { name }))
  }

  /** Replaces the running emulator's state with a snapshot's. */
  restoreSnapshot(name: string): Promise<SnapshotSummary> {
    return this.control(this.rest.post(`${SNAPSHOTS_PATH}/${encodeURIComponent(name)}/restore`, {}))
  }

  deleteSnapshot(name: string): Promise<SnapshotSummary> {
    return this.control(this.rest.delete(`${SNAPSHOTS_PATH}/${encodeURIComponent(name)}`))
  }

  /** Applies plan steps as one transaction: all of them or, when one fails, none (the error names it in its fields). */
  push(request: PushRequest): Promise<PushResponse> {
    return this.control(this.rest.post(PUSH_PATH, request))
  }

  /** The most recent request events matching the filters, oldest first. */
  logs(query: LogFilters = {}): Promise<LogList> {
    return this.control(this.rest.get(LOGS_PATH, { ...query }))
  }

  /** Follows the request log: `onLine` gets each NDJSON line (a request or a `missed` event) until `signal` aborts. */
  followLogs(query: LogFilters, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
    return this.control(this.rest.lines(LOGS_PATH, { ...query, follow: 1 }, onLine, signal))
  }

  /** The injected-fault rules, in the order they are tried. */
  listFaults(): Promise<FaultList> {
    return this.control(this.rest.get(FAULTS_PATH))
  }

  /** Adds a fault rule; a rule that does not parse is refused (400) and nothing changes. */
  addFault(rule: FaultRuleInput): Promise<FaultRule> {
    return this.control(this.rest.post(FAULTS_PATH, { ...rule }))
  }

  removeFault(id: string): Promise<FaultsRemoved> {
    return this.control(this.rest.delete(`${FAULTS_PATH}/${encodeURIComponent(id)}`))
  }

  /** Removes every fault rule, the `bkend dev` flags' global one included. */
  clearFaults(): Promise<FaultsRemoved> {
    return this.control(this.rest.delete(FAULTS_PATH))
  }

  /** One request of the emulator's log with its explanation; `log/not-found` once the log no longer holds it. */
  requestEvent(id: string): Promise<RequestEvent> {
    return this.control(this.rest.get<RequestEvent>(`${LOGS_PATH}/${encodeURIComponent(id)}`)).catch((error: unknown) => {
      if (error instanceof ClientError && error.status === 404) throw new ClientError('log/not-found', error.message, 404, { resource: 'request', ref: id, target: 'local' }, error.request)
      throw error
    })
  }

  /** A one-time console sign-in URL for the token's tenant that lands on `next` (a console path, default `/_/`). */
  consoleSignInUrl(next?: string): Promise<ConsoleSignInUrl> {
    return this.control(this.rest.post(CONSOLE_SIGNIN_URL_PATH, next === undefined ? {} : { next }))
  }

  close(): Promise<void> {
    return this.rest.close()
  }

  private control<T>(request: Promise<T>, messageId?: string): Promise<T> {
    return request.catch((error: unknown) => {
      if (!(error instanceof ClientError)) throw error
      if (error.status === 0) throw new ClientError('target/no-emulator', `no bkend dev answers at ${this.origin} (its runtime.json is left from an earlier run)`, 0, { target: 'local' }, error.request)
      if (error.status === 401) throw new ClientError(error.code, 'the emulator refused the tenant token in runtime.json', 401, { auth: 'tenant-token', target: 'local' }, error.request)
      if (error.status === 404 && messageId !== undefined) throw new ClientError('mail/not-found', error.message, 404, { resource: 'mail', ref: messageId }, error.request)
      throw error
    })
  }
}
