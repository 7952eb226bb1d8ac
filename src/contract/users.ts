/** End users on the wire (rest-auth.md). Types only. */

/** A user in the full view (rest-auth.md §1.2); the other profile fields pass through. */
export interface User {
  id: string
  email: string
  name: string
  role: string
  createdAt: string
  [field: string]: unknown
}
