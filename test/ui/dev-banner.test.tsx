import { expect } from 'chai'
import { render } from 'ink-testing-library'
import { DevBanner } from '../../src/ui/dev-banner.js'

/** The banner's last frame for the seeded values, with optional mode and faults lines. */
function frame(mode?: string, faults?: string): string {
  const { lastFrame, unmount } = render(
    <DevBanner
      url="http://127.0.0.1:4100"
      mcpUrl="http://127.0.0.1:4100/mcp"
      dataDir="/tmp/app/.bkend"
      organizationId="6b026e6b84da112f9a739e62"
      projectId="6b026e6b84da112f9a739e64"
      environment={{ id: '6b026e6b84da112f9a739e65', name: 'dev', publishableKey: 'pk_abc', secretKey: 'sk_def' }}
      tenantToken="eyJ.token.sig"
      mode={mode}
      faults={faults}
    />,
  )
  const text = lastFrame() ?? ''
  unmount()
  return text
}

describe('ui: DevBanner', () => {
  it('lists the URLs, ids and keys a developer needs', () => {
    const text = frame()
    expect(text).to.include('bkend dev is ready')
    expect(text).to.include('http://127.0.0.1:4100/v1')
    expect(text).to.include('http://127.0.0.1:4100/mcp')
    expect(text).to.include('dev (6b026e6b84da112f9a739e65)')
    expect(text).to.include('pk_abc')
    expect(text).to.include('sk_def')
    // The long-lived tenant token stays in runtime.json; the banner points there instead of printing it.
    expect(text).to.not.include('eyJ.token.sig')
    expect(text).to.include('/tmp/app/.bkend/runtime.json')
  })

  it('shows a mode line only when a mode is on', () => {
    expect(frame('cloud parity: only what the hosted service documents')).to.match(/Mode\s+cloud parity: only what the hosted service documents/)
    expect(frame()).to.not.include('Mode')
  })

  it('shows a faults line only when faults are injected', () => {
    expect(frame(undefined, 'every API request: 20% fail with 503')).to.match(/Faults\s+every API request: 20% fail with 503/)
    expect(frame()).to.not.include('Faults')
  })
})
