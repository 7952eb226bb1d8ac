#!/usr/bin/env -S node --import tsx
// Runs the CLI from the TypeScript sources, for working on bkend itself.
import { execute } from '@oclif/core'

await execute({ development: true, dir: import.meta.url })
