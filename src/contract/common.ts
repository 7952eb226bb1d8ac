/** Wire types shared by the CLI client and the emulator. Types only: nothing here runs. */

export interface Pagination {
  total: number
  page: number
  limit: number
  totalPages: number
  hasNext: boolean
  hasPrev: boolean
  hasNextPage: boolean
  hasPrevPage: boolean
}

export interface Page<T> {
  items: T[]
  pagination: Pagination
}

export interface ErrorDetail {
  field: string
  rule: string
  message: string
}

/** Every REST error body (spec README "Error envelope"). */
export interface ErrorEnvelope {
  success: false
  statusCode: number
  error: { code: string; message: string; details?: ErrorDetail[] }
  message: string
}
