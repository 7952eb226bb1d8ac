import { Box, Text, render } from 'ink'

export interface DevBannerProps {
  url: string
  mcpUrl: string
  dataDir: string
  organizationId: string
  projectId: string
  environment: { id: string; name: string; publishableKey: string; secretKey: string }
  tenantToken: string
  /** A line saying a non-default mode is on (cloud parity), or undefined. */
  mode?: string
  /** A line saying which faults are injected (`bkend dev --latency/--fail-rate`), or undefined. */
  faults?: string
}

const Row = ({ label, value, color }: { label: string; value: string; color?: string }) => (
  <Box>
    <Box width={18}>
      <Text dimColor>{label}</Text>
    </Box>
    <Text color={color}>{value}</Text>
  </Box>
)

/** What a developer sees when `bkend dev` is ready on a terminal. */
export function DevBanner(props: DevBannerProps) {
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="green" paddingX={1}>
      <Text bold color="green">
        bkend dev is ready
      </Text>
      <Row label="REST API" value={`${props.url}/v1`} color="cyan" />
      <Row label="MCP" value={props.mcpUrl} color="cyan" />
      {props.mode ? <Row label="Mode" value={props.mode} color="magenta" /> : null}
      {props.faults ? <Row label="Faults" value={props.faults} color="red" /> : null}
      <Row label="Health" value={`${props.url}/_emulator/health`} />
      <Row label="Data dir" value={props.dataDir} />
      <Row label="Organization" value={props.organizationId} />
      <Row label="Project" value={props.projectId} />
      <Row label="Environment" value={`${props.environment.name} (${props.environment.id})`} />
      <Row label="Publishable key" value={props.environment.publishableKey} />
      <Row label="Secret key" value={props.environment.secretKey} color="yellow" />
      <Text dimColor>The secret key and tenant token are in {props.dataDir}/runtime.json (mode 0600). Press Ctrl+C to stop.</Text>
    </Box>
  )
}

/** Prints the banner once and lets the process go on. */
export function renderDevBanner(props: DevBannerProps): void {
  const instance = render(<DevBanner {...props} />, { patchConsole: false, exitOnCtrlC: false })
  instance.unmount()
}
