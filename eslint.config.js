import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': 'off'
    }
  },
  {
    // The walls of the house (DESIGN.md): the domain core never imports transport, CLI or UI code.
    files: ['src/emulator/store/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/http/**', '**/mcp/**', '**/cli/**', '**/ui/**', '**/commands/**', 'fastify', 'ink', 'react'] }]
    }
  },
  {
    // ...and persistence, blobs included, lives only in store/: the core reaches the disk through the store.
    files: ['src/emulator/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['node:fs', 'node:fs/promises', 'fs', 'fs/promises'].map((name) => ({ name, message: 'Persistence lives in src/emulator/store/; go through the Store (store.blobs for file bytes).' })),
          patterns: ['**/http/**', '**/mcp/**', '**/cli/**', '**/ui/**', '**/commands/**', 'fastify', 'ink', 'react']
        }
      ]
    }
  },
  {
    // The client is a service layer for a target: it knows neither the CLI that drives it nor the emulator it may
    // talk to (wire types come from contract/).
    files: ['src/client/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/emulator/**', '**/cli/**', '**/commands/**', '**/ui/**', '@modelcontextprotocol/sdk/**'] }] }
  },
  {
    // The one door to the SDK, bundled by the build: a direct import elsewhere would load a second copy.
    files: ['src/client/mcp-sdk.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/emulator/**', '**/cli/**', '**/commands/**', '**/ui/**'] }] }
  },
  {
    // Wire types only: shared by both sides, so they import neither.
    files: ['src/contract/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/emulator/**', '**/client/**', '**/cli/**', '**/commands/**', '**/ui/**'] }] }
  },
  {
    // Config as code and type generation are about files and models: they never talk to a target or the emulator
    // (a command reads live state through client/ and hands it in), so the planner is tested with plain tables.
    files: ['src/config/**/*.ts', 'src/codegen/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/emulator/**', '**/client/**', '**/cli/**', '**/commands/**', '**/ui/**'] }] }
  },
  {
    files: ['src/ui/**/*.ts', 'src/ui/**/*.tsx'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/emulator/core/**', '**/emulator/store/**', '**/cli/**', '**/commands/**'] }] }
  },
  {
    files: ['bin/**/*.js', 'bench/**/*.js', 'bench/**/*.mjs', 'test/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', Buffer: 'readonly' } }
  },
  {
    // The terminal UI loads only when a terminal is attached: CLI plumbing and `dev` import it lazily (a type import
    // costs nothing), so `bkend dev --json`, piped output and CI never load React.
    files: ['src/cli/**/*.ts', 'src/commands/dev/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['ink', 'react', '**/ui/**', '!**/ui/format.js'], allowTypeImports: true }] }] }
  },
  {
    // Commands other than `dev` must start fast: no server, terminal UI or emulator code at load time
    // (the UI is imported lazily, only on a TTY; ui/format holds plain functions and no React).
    files: ['src/commands/**/*.ts'],
    ignores: ['src/commands/dev/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['fastify', 'ink', 'react', '**/emulator/**', '**/ui/**', '!**/ui/format.js', '@modelcontextprotocol/sdk/**'] }] }
  }
)
