import { expect } from 'chai'
import { render } from 'ink-testing-library'
import { DevBanner } from '../../src/ui/dev-banner.js'

describe('ui: DevBanner', () => {
  it('lists the URLs, ids and keys a developer needs', () => {
    const { lastFrame, unmount } = render(
      <DevBanner
        url="http://127.0.0.1:4100"
        mcpUrl="http://127.0.0.1:4100/mcp"
        dataDir="/tmp/app/.bkend"
        organizationId="6b026e6b84da112f9a739e62"
        projectId="6b026e6b84da112f9a739e64"
        environment={{ id: '6b026e6b84da112f9a739e65', name: 'dev', publishableKey: 'pk_abc', secretKey: 'sk_def' }}
        tenantToken="eyJ.token.sig"
      />,
    )
    const frame = lastFrame() ?? ''
    unmount()
    expect(frame).to.include('bkend dev is ready')
    expect(frame).to.include('http://127.0.0.1:4100/v1')
    expect(frame).to.include('http://127.0.0.1:4100/mcp')
    expect(frame).to.include('dev (6b026e6b84da112f9a739e65)')
    expect(frame).to.include('pk_abc')
    expect(frame).to.include('sk_def')
    // The long-lived tenant token stays in runtime.json; the banner points there instead of printing it.
    expect(frame).to.not.include('eyJ.token.sig')
    expect(frame).to.include('/tmp/app/.bkend/runtime.json')
  })
})
