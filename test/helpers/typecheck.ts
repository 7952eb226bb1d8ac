import ts from 'typescript'

/** Compiler settings of a strict app: `strict` plus the stricter flags people turn on, erasable syntax only. */
export const STRICT_DOM: ts.CompilerOptions = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  noPropertyAccessFromIndexSignature: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  erasableSyntaxOnly: true,
  verbatimModuleSyntax: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  types: [],
  noEmit: true,
  skipLibCheck: false,
}

/** A Node project's settings: `strict` alone, fetch from @types/node rather than the DOM library. */
export const STRICT_NODE: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2022.d.ts'],
  types: ['node'],
  noEmit: true,
}

/** Type-checks the files together; returns each file's errors as `TS<code>: <message>` (files without errors map to []). */
export function typecheck(files: string[], options: ts.CompilerOptions): Map<string, string[]> {
  const program = ts.createProgram(files, options)
  const out = new Map<string, string[]>(files.map((f) => [f, []]))
  const global: string[] = []
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const text = `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`
    const list = d.file ? out.get(d.file.fileName) : undefined
    if (list) list.push(text)
    else global.push(`${d.file?.fileName ?? '(options)'}: ${text}`)
  }
  if (global.length) throw new Error(`type-checking failed outside the files checked:\n${global.join('\n')}`)
  return out
}
