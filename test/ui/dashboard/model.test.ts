import { expect } from 'chai'
import type { MailboxMessage } from '../../../src/contract/mailbox.js'
import { RequestLog } from '../../../src/emulator/core/observe/request-log.js'
import { DashboardModel, type DashboardView } from '../../../src/ui/dashboard/model.js'
import { mail, requestEvent } from './events.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('ui: dashboard model', () => {
  let models: DashboardModel[] = []
  afterEach(() => {
    for (const model of models) model.dispose()
    models = []
  })
  function start(log: RequestLog, options: { rows?: number; throttleMs?: number; mails?: MailboxMessage[] } = {}) {
    const mails = options.mails ?? []
    const model = new DashboardModel({ log, latestMails: (limit) => mails.slice(0, limit), rows: options.rows ?? 5, throttleMs: options.throttleMs ?? 60_000, mailPollMs: 60_000 })
    models.push(model)
    return model
  }

  it('counts every request at once but redraws at most once per throttle period, keeping only the rows that fit', async () => {
    const log = new RequestLog(10_000)
    log.append(requestEvent({ path: '/before' }))
    const model = start(log, { rows: 5, throttleMs: 50 })
    const views: DashboardView[] = []
    model.onChange((view) => views.push(view))
    for (let i = 0; i < 1000; i++) log.append(requestEvent({ status: i % 10 === 0 ? 404 : i % 25 === 0 ? 503 : 200, path: `/v1/data/posts/${i}` }))
    // the listener only counted: nothing was drawn yet
    expect(views).to.have.length(0)
    expect(model.view().total).to.equal(1000)
    await sleep(180)
    expect(views).to.have.length(1)
    const view = views[0]!
    expect(view.counts).to.deep.equal({ '2xx': 880, '3xx': 0, '4xx': 100, '5xx': 20 })
    expect(view.rows).to.have.length(5)
    expect(view.rows.map((r) => r.event.path)).to.deep.equal([995, 996, 997, 998, 999].map((i) => `/v1/data/posts/${i}`))
  })

  it('while the stream scrolls a whole screen per redraw it redraws four times a second, and at once on a key', () => {
    const log = new RequestLog(1000)
    const model = start(log, { rows: 3 })
    const views: DashboardView[] = []
    model.onChange((view) => views.push(view))
    const burst = (n: number) => Array.from({ length: n }, () => log.append(requestEvent()))
    burst(10)
    model.flush(1000)
    expect(views).to.have.length(1)
    burst(10)
    model.flush(1100)
    model.flush(1200)
    expect(views).to.have.length(1)
    model.flush(1250)
    expect(views).to.have.length(2)
    expect(views[1]!.total).to.equal(20)
    // a trickle that does not fill the screen is drawn at the normal pace again
    burst(1)
    model.flush(1500)
    burst(1)
    model.flush(1600)
    expect(views).to.have.length(4)
    burst(10)
    model.flush(1700)
    burst(10)
    model.togglePause()
    expect(views).to.have.length(6)
    expect(views[5]!.paused).to.equal(true)
  })

  it('pausing freezes the rows while requests keep counting, and says how many new ones match', () => {
    const log = new RequestLog(100)
    const model = start(log, { rows: 3 })
    log.append(requestEvent({ path: '/a' }))
    model.flush()
    model.togglePause()
    log.append(requestEvent({ path: '/b', status: 403 }))
    log.append(requestEvent({ path: '/c' }))
    model.flush()
    let view = model.view()
    expect(view.paused).to.equal(true)
    expect(view.rows.map((r) => r.event.path)).to.deep.equal(['/a'])
    expect(view.total).to.equal(3)
    expect(view.newWhilePaused).to.equal(2)
    model.togglePause()
    view = model.view()
    expect(view.paused).to.equal(false)
    expect(view.rows.map((r) => r.event.path)).to.deep.equal(['/a', '/b', '/c'])
  })

  it('a filter refills the rows from what the ring holds; clear empties the view but not the log', () => {
    const log = new RequestLog(100)
    const model = start(log, { rows: 10 })
    for (const [path, status] of [['/v1/data/posts', 200], ['/v1/data/posts', 403], ['/v1/users', 401], ['/v1/data/posts/1', 404]] as const) log.append(requestEvent({ path, status }))
    model.setFilter({ status: '4xx', path: 'posts' })
    expect(model.view().rows.map(({ event }) => `${event.status} ${event.path}`)).to.deep.equal(['403 /v1/data/posts', '404 /v1/data/posts/1'])
    model.clear()
    expect(model.view().rows).to.have.length(0)
    expect(model.view().total).to.equal(0)
    expect(model.view().counts['4xx']).to.equal(0)
    expect(log.recent(10)).to.have.length(4)
    // cleared requests stay out of the view when the filter changes
    model.setFilter({})
    expect(model.view().rows).to.have.length(0)
    log.append(requestEvent({ path: '/after', status: 500 }))
    model.flush()
    expect(model.view().rows.map((r) => r.event.path)).to.deep.equal(['/after'])
    expect(model.view().counts['5xx']).to.equal(1)
  })

  it('lists the newest e-mails, more when asked', () => {
    const mails = Array.from({ length: 12 }, () => mail())
    const model = start(new RequestLog(10), { mails })
    expect(model.view().mails.map((m) => m.id)).to.deep.equal(mails.slice(0, 3).map((m) => m.id))
    model.setMailRows(10)
    expect(model.view().mails).to.have.length(10)
  })

  it('stops listening once disposed', () => {
    const log = new RequestLog(10)
    const model = start(log)
    model.dispose()
    log.append(requestEvent())
    expect(model.view().total).to.equal(0)
  })
})
