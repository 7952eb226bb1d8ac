#!/usr/bin/env node
// The start-up baseline: the smallest oclif CLI there is, one command and no plugins.
import { execute } from '@oclif/core'

await execute({ dir: import.meta.url })
