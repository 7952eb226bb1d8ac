import { BUCKETS, VISIBILITIES, type FileView } from '../../../../contract/storage.js'
import type { FileCaller } from '../../../core/storage/context.js'
import type { Page } from '../../../../contract/common.js'
import { toToolError } from '../../../mcp/errors.js'
import { escapeHtml as e } from '../../pages/page.js'
import type { ConsoleContext, ConsolePage, ConsoleResult, FormState } from '../context.js'
import { confirmForm, confirmPage, confirmed, done, envPath, errorAlert } from '../layout.js'
import { attempt, pageParam, pager, runtimeAdmin } from './runtime-admin.js'

const BASE = '/o/:org/p/:project/e/:env/files'
const FILTERS = ['search', 'visibility', 'bucket', 'mimeType'] as const

/** The environment's files: filters, image previews, download, visibility, delete (core file service, as admin). */
export const filesPage: ConsolePage = {
  nav: { label: 'Files', page: 'files' },
  routes: [
    { method: 'GET', path: BASE, level: 'env', handle: (ctx) => list(ctx, {}) },
    {
      method: 'POST',
      path: `${BASE}/:fileId/visibility`,
      level: 'env',
      handle: (ctx) =>
        attempt(
          ctx,
          async () => {
            const file = await ctx.core.storage.files.update(caller(ctx), ctx.params.fileId!, { visibility: ctx.form.visibility ?? '' })
            return done(`${envPath(ctx)}/files`, `${file.originalName} is now ${file.visibility}`)
          },
          (state, status) => list(ctx, state, status),
        ),
    },
    {
      method: 'POST',
      path: `${BASE}/:fileId/delete`,
      level: 'env',
      handle: async (ctx) => {
        const back = `${envPath(ctx)}/files`
        if (!confirmed(ctx)) return confirmPage(`${back}/${encodeURIComponent(ctx.params.fileId!)}/delete`, 'Delete this file? Its record and its bytes go for good.', back, ctx.form)
        await ctx.core.storage.files.remove(caller(ctx), ctx.params.fileId!)
        return done(back, 'File deleted')
      },
    },
  ],
}

/** The console as the file API's admin caller: it sees and changes every file of the environment. */
function caller(ctx: ConsoleContext): FileCaller {
  runtimeAdmin(ctx)
  return { environmentId: ctx.env!.id, ownerId: ctx.actor.tenantId, ownerType: 'service', admin: true, userId: null }
}

function list(ctx: ConsoleContext, state: FormState, status = 200): ConsoleResult {
  const files = ctx.core.storage.files
  const who = caller(ctx)
  const filters = Object.fromEntries(FILTERS.flatMap((name) => (ctx.query[name] ? [[name, ctx.query[name]]] : []))) as Record<string, string>
  const page = pageParam(ctx)
  let found: Page<FileView>
  try {
    found = files.list(who, { ...filters, page: String(page), limit: '20' })
  } catch (error) {
    // A malformed filter: the envelope's message under the filters, to fix them.
    const mapped = toToolError(error)
    if (mapped.code !== 'VALIDATION_ERROR') throw error
    return { status: 400, title: 'Files', page: 'files', body: `${filterForm(ctx, filters)}${errorAlert({ error: mapped })}` }
  }
  const base = `${envPath(ctx)}/files`
  const rows = found.items.map((f) => row(ctx, f, files.downloadUrl(who, f.id).url))
  const table =
    rows.length === 0
      ? `<p class="muted" id="no-files">${Object.keys(filters).length > 0 ? 'No file matches these filters.' : 'No files in this environment yet.'}</p>`
      : `<div class="scroll"><table id="files"><thead><tr><th scope="col">Preview</th><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Size</th><th scope="col">Bucket</th><th scope="col">Owner</th><th scope="col">Visibility</th><th scope="col"><span class="muted">Actions</span></th></tr></thead><tbody>${rows.join('')}</tbody></table></div>${pager(base, filters, page, found.pagination.hasNext, found.pagination.total)}`
  return { status, title: 'Files', page: 'files', body: `${filterForm(ctx, filters)}${errorAlert(state)}${table}` }
}

function row(ctx: ConsoleContext, f: FileView, download: string): string {
  const base = `${envPath(ctx)}/files/${encodeURIComponent(f.id)}`
  // Previews come through the same signed download URL as the download itself: no new way to reach the bytes.
  const preview = f.mimeType.startsWith('image/') ? `<img class="thumb" src="${e(download)}" alt="${e(f.originalName)}" width="64" loading="lazy">` : '<span class="muted">—</span>'
  const visibility = `<form class="inline" method="post" action="${e(`${base}/visibility`)}"><select name="visibility" aria-label="Visibility of ${e(f.originalName)}">${VISIBILITIES.map((v) => `<option${v === f.visibility ? ' selected' : ''}>${v}</option>`).join('')}</select><button type="submit" class="secondary">Set</button></form>`
  const actions = `<a class="button secondary" href="${e(download)}" download="${e(f.originalName)}">Download</a> ${confirmForm(`${base}/delete`, 'Delete', `Delete ${f.originalName}? Its bytes go for good.`, `delete-${f.id}`)}`
  return `<tr data-file="${e(f.originalName)}"><td>${preview}</td><td>${e(f.originalName)}</td><td>${e(f.mimeType)}</td><td>${size(f.size)}</td><td>${e(f.bucket)}</td><td>${e(f.ownerType)} <code>${e(f.ownerId)}</code></td><td data-visibility="${e(f.visibility)}">${visibility}</td><td>${actions}</td></tr>`
}

function filterForm(ctx: ConsoleContext, filters: Record<string, string>): string {
  const select = (name: string, label: string, values: readonly string[]) =>
    `<label for="f-${name}">${label}<select id="f-${name}" name="${name}"><option value="">any</option>${values.map((v) => `<option${filters[name] === v ? ' selected' : ''}>${v}</option>`).join('')}</select></label>`
  return `<form class="inline" method="get" action="${e(`${envPath(ctx)}/files`)}" id="file-filters" role="search">
<label for="f-search">Name contains<input id="f-search" name="search" type="search" value="${e(filters.search ?? '')}"></label>${select('visibility', 'Visibility', VISIBILITIES)}${select('bucket', 'Bucket', BUCKETS)}
<label for="f-mimeType">Type<input id="f-mimeType" name="mimeType" value="${e(filters.mimeType ?? '')}" placeholder="image/* or image/png"></label><button type="submit" class="secondary">Filter</button></form>`
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`
}
