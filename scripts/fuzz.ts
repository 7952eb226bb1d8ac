import { runFuzz } from '../test/fuzz/runner.js'

/**
 * `npm run fuzz`: the fuzz suite's long run. FUZZ_SEED and FUZZ_CASES choose the run, FUZZ_FIRST its first case (to
 * replay a failure alone: FUZZ_FIRST=<index> FUZZ_CASES=1), FUZZ_HEALTH_MS the health bound.
 */
const env = (name: string, fallback: number) => (process.env[name] === undefined || process.env[name] === '' ? fallback : Number(process.env[name]))
const seed = env('FUZZ_SEED', Date.now() % 2 ** 32)
const cases = env('FUZZ_CASES', 50_000)
const first = env('FUZZ_FIRST', 0)
const healthBoundMs = env('FUZZ_HEALTH_MS', 100)
if (![seed, cases, first].every(Number.isInteger) || cases < 1 || first < 0 || !(healthBoundMs > 0)) {
  console.error('FUZZ_SEED, FUZZ_CASES and FUZZ_FIRST must be integers (FUZZ_CASES at least 1, FUZZ_FIRST at least 0) and FUZZ_HEALTH_MS a positive number')
  process.exit(2)
}
console.log(`fuzzing: seed ${seed}, cases ${first} to ${first + cases - 1}, health bound ${healthBoundMs} ms`)
const report = await runFuzz({ seed, cases, first, healthBoundMs })
const seconds = report.durationMs / 1000
console.log(`sent ${report.sent} (${report.unsendable} the HTTP client refused to send) in ${seconds.toFixed(1)} s, ${((report.sent + report.unsendable) / seconds).toFixed(0)} cases/s`)
console.log(`statuses ${JSON.stringify(report.statuses)}; slowest health ${report.maxHealthMs.toFixed(1)} ms`)
for (const failure of report.failures.slice(0, 50)) {
  console.log(`case ${failure.index} [${failure.kind}] ${failure.method} ${failure.path} → ${failure.status ?? '-'}: ${failure.problem}`)
  console.log(`  replay: FUZZ_SEED=${seed} FUZZ_FIRST=${failure.index} FUZZ_CASES=1 npm run fuzz`)
}
if (report.failures.length > 0) {
  console.log(`${report.failures.length} failures (seed ${seed})`)
  process.exit(1)
}
