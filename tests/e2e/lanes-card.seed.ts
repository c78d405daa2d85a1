// Test-only helper of tests/e2e/lanes-card.spec.ts, run as a child process (tsx, react-server
// conditions) BEFORE a second `next start` opens the same embedded database. It produces slow-lane
// usage through the app's own code: the database is migrated and seeded as the app does
// (lib/db/migrate), the slow lane's submit job (`submitSlowJob`: allowance, generation request,
// engine, batch row) and poller (`pollSlowLane`: settle, library delivery, one usage event per line)
// run with the app's deps (`slowLaneDepsFromEnv`), against the simulator's Batch API and flex tier
// on the real clock (batches finish in about a second). No route is added to the app for this.
//
//   tsx --conditions=react-server tests/e2e/lanes-card.seed.ts <pglite dir>
// prints one JSON line: what each lane did.
import { PGlite } from "@electric-sql/pglite";
import { setDbProviderForTests } from "@/lib/db";
import { migrate, seedOnce } from "@/lib/db/migrate";
import { createPgliteProvider, pgliteExecutor } from "@/lib/db/pglite-adapter";
import { defaultGenerationDeps } from "@/lib/generation/deps";
import { setGatewayForTests } from "@/lib/llm";
import { createGateway } from "@/lib/llm/gateway";
import { createSimulator } from "@/lib/llm/sim";
import { submitSlowJob, slowLaneDepsFromEnv } from "@/lib/slowlane/app";
import { pollSlowLane } from "@/lib/slowlane/engine";

const HOUR = 3600_000;

async function main(dir: string) {
  const pg = await PGlite.create(dir);
  const exec = pgliteExecutor(pg);
  await migrate(exec);
  await seedOnce(exec);
  const provider = createPgliteProvider(pg);
  setDbProviderForTests(provider);
  // The simulator on the real clock: instant calls, batches done in 0.8 s, no faults, flex always served.
  const sim = createSimulator({ profile: "instant", timeScale: 1, seed: 14, faultRate: 0, batchMedianMs: 800, batchSigma: 0, batchExpireRate: 0, batchLineErrorRate: 0, flex429Rate: 0 });
  setGatewayForTests(createGateway({ provider: "sim", model: "sim-standard", backgroundModel: "sim-mini", maxConcurrency: 8, timeoutMs: 30_000, maxAttempts: 2, deadlineMs: HOUR }, { fetch: sim.fetch, clock: sim.clock }), sim);

  const topics = (await pg.query<{ id: string; name: string; subject: string }>(
    "select t.id, t.name, s.name as subject from public.topics t join public.subjects s on s.id = t.subject_id order by s.position, t.position limit 3",
  )).rows;
  const job = (i: number, need: number, dueInMs: number) => ({ topicId: topics[i].id, difficulty: "easy" as const, need, learners: [], subject: topics[i].subject, topic: topics[i].name, avoidTitles: [], deadlineAt: Date.now() + dueInMs });

  const gen = defaultGenerationDeps();
  const deps = slowLaneDepsFromEnv(gen);
  // 1. Twelve lessons due in 8 h: one provider batch (two lines of six), polled until settled.
  const batch = await submitSlowJob(gen, deps, job(0, 12, 8 * HOUR));
  let settled = 0;
  for (let i = 0; i < 60 && settled === 0; i++) {
    await new Promise((r) => setTimeout(r, 250));
    settled += (await pollSlowLane(deps)).settled;
  }
  // 2. Three lessons due within the hour: too near for a batch, so the slow lane's flex calls.
  const flex = await submitSlowJob(gen, deps, job(1, 3, HOUR));
  // 3. Five lessons due in 12 h, submitted and left in flight (nothing polls it before the page is read).
  const open = await submitSlowJob(gen, deps, job(2, 5, 12 * HOUR));
  const lanes = (await pg.query<{ lane: string; events: number; lessons: number }>(
    "select lane, count(*)::int as events, coalesce(sum(lessons_valid), 0)::int as lessons from public.usage_events group by lane order by lane",
  )).rows;
  process.stdout.write(`${JSON.stringify({ batch: batch.lane, settled, flex, open: open.lane, lanes })}\n`);
  await provider.close();
}

main(process.argv[2]).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
