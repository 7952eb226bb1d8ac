import { runFuzz } from '../test/fuzz/runner.js'

/** `npm run fuzz`: the fuzz suite's long run; FUZZ_SEED and FUZZ_CASES choose the run, FUZZ_HEALTH_MS the health bound. */
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 32)
const cases = Number(process.env.FUZZ_CASES ?? 50_000)
const healthBoundMs = Number(process.env.FUZZ_HEALTH_MS ?? 100)
if (!Number.isInteger(seed) || !Number.isInteger(cases) || cases < 1 || !(healthBoundMs > 0)) {
  console.error('FUZZ_SEED and FUZZ_CASES must be integers (FUZZ_CASES at least 1) and FUZZ_HEALTH_MS a positive number')
  process.exit(2)
}
console.log(`fuzzing: seed ${seed}, ${cases} cases, health bound ${healthBoundMs} ms`)
const report = await runFuzz({ seed, cases, healthBoundMs })
console.log(`sent ${report.sent} (${report.unsendable} unsendable) in ${(report.durationMs / 1000).toFixed(1)} s; statuses ${JSON.stringify(report.statuses)}; slowest health ${report.maxHealthMs.toFixed(1)} ms`)
for (const failure of report.failures.slice(0, 50)) console.log(`case ${failure.index} [${failure.kind}] ${failure.method} ${failure.path} → ${failure.status ?? '-'}: ${failure.problem}`)
if (report.failures.length > 0) {
  console.log(`${report.failures.length} failures; replay one with FUZZ_SEED=${seed}`)
  process.exit(1)
}
