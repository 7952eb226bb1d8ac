/** What the emulator says about itself. Never pass it secrets: keys, tokens or passwords. */
export interface Logger {
  info(message: string): void
  warn(message: string): void
  error(message: string): void
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined }
