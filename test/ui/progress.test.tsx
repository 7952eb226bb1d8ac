import { expect } from 'chai'
import { render } from 'ink-testing-library'
import { TransferProgress } from '../../src/ui/progress.js'

describe('ui: TransferProgress', () => {
  const frameOf = (element: React.ReactElement) => {
    const { lastFrame, unmount } = render(element)
    const frame = lastFrame() ?? ''
    unmount()
    return frame
  }

  it('draws a bar with the share done, rows, rejections and rate when the size is known', () => {
    const frame = frameOf(<TransferProgress label="Importing into posts" rows={5000} rejected={12} fraction={0.5} elapsedMs={1000} />)
    expect(frame).to.include('Importing into posts')
    expect(frame).to.include(`${'█'.repeat(12)}${'░'.repeat(12)} 50%`)
    expect(frame).to.include('5,000 rows')
    expect(frame).to.include('12 rejected')
    expect(frame).to.include('5,000 rows/s')
  })

  it('turns a spinner instead of a bar when the total is unknown, and hides rejections when there are none', () => {
    const frame = frameOf(<TransferProgress label="Importing into posts" rows={10} rejected={0} elapsedMs={160} />)
    expect(frame).to.match(/^⠹ Importing into posts 10 rows 63 rows\/s/)
    expect(frame).to.not.include('%')
    expect(frame).to.not.include('rejected')
  })

  it('shows a tick when finished and clamps the bar', () => {
    const frame = frameOf(<TransferProgress label="Exporting posts" rows={3} fraction={1.7} elapsedMs={0} finished />)
    expect(frame).to.match(/^✔ Exporting posts/)
    expect(frame).to.include('100%')
    expect(frame).to.include('0 rows/s')
  })

  it('counts bytes in binary units when the transfer is of bytes', () => {
    const frame = frameOf(<TransferProgress label="Uploading video.mp4" rows={150 * 1024 * 1024} unit="bytes" fraction={0.5} elapsedMs={2000} />)
    expect(frame).to.include('150.0 MiB')
    expect(frame).to.include('75.0 MiB/s')
    expect(frame).to.include('50%')
    expect(frame).to.not.include('rows')
  })
})
