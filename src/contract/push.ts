/** `POST /_emulator/push` (extension, tenant bearer): a plan applied to the emulator as one transaction. Types only. */
import type { PlanStep } from '../config/model.js'

export const PUSH_PATH = '/_emulator/push'

export interface PushRequest {
  projectId: string
  environment: string
  /** Applied in order through the MCP tools; when one fails, none is kept. */
  steps: PlanStep[]
}

export interface PushResponse {
  applied: number
}

/** The `field` of the one error detail a failed push answers with: which step failed (`steps[3]`). */
export const failedStepField = (index: number) => `steps[${index}]`
