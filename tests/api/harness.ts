// Shared setup for the route tests: a fresh PGlite database and a fresh simulator + gateway per file,
// users with real session cookies, small catalogue fixtures, and row counts for "nothing was written".
import { vi } from "vitest";
import { sessionCookieFor } from "@/lib/auth";
import { setDbProviderForTests } from "@/lib/db";
import type { Db } from "@/lib/db/port";
import { createTestDb, testDatabaseUrl, type TestDb } from "@/lib/db/testing";
import { resetServerEnvCache } from "@/lib/env";
import { setGatewayForTests } from "@/lib/llm";
import { createGateway } from "@/lib/llm/gateway";
import { createSimulator } from "@/lib/llm/sim";

export const CRON_SECRET = "test-cron-secret-0123456789abcdef";

export type Sim = ReturnType<typeof createSimulator>;

export interface Harness {
  db: TestDb;
  service: Db;
  sim: Sim;
  simCalls(): number;
  cleanup(): Promise<void>;
}

export interface HarnessOptions {
  profile?: "instant" | "fast" | "typical";
  timeScale?: number;
  maxConcurrency?: number;
  seed?: number; // the simulator's
  /** The simulator's prompt-cache hit rate once a prefix is cached (the profile's when unset). */
  cacheHitRate?: number;
  /** Load the demo seed (users learner@, pro@, admin@, nearly@example.com, catalogue, playlists). */
  demoData?: boolean;
}

export function makeGateway(opts: HarnessOptions = {}) {
  const sim = createSimulator({ profile: opts.profile ?? "instant", timeScale: opts.timeScale ?? 0.01, seed: opts.seed ?? 7, cacheHitRate: opts.cacheHitRate, rpm: 100_000, tpm: 100_000_000 });
  const gateway = createGateway(
    { provider: "sim", model: "sim-standard", backgroundModel: "sim-mini", maxConcurrency: opts.maxConcurrency ?? 10, timeoutMs: 30_000 },
    { fetch: sim.fetch, clock: sim.clock },
  );
  setGatewayForTests(gateway, sim);
  return { sim, gateway };
}

export async function setupHarness(opts: HarnessOptions = {}): Promise<Harness> {
  vi.stubEnv("CRON_SECRET", CRON_SECRET);
  vi.stubEnv("TRUST_PROXY", "0");
  // A fixed signing key, so tests never write a generated one into the data directory.
  vi.stubEnv("AUTH_SECRET", "test-auth-secret-for-route-tests-0123456789");
  resetServerEnvCache();
  // On a real Postgres when one is configured (CI): concurrency there is real, not serialised as in PGlite.
  const db = await createTestDb({ kind: testDatabaseUrl() ? "postgres" : "pglite", seed: opts.demoData ?? false });
  setDbProviderForTests(db.provider);
  const { sim } = makeGateway(opts);
  const h: Harness = {
    db,
    service: db.provider.as({ role: "service_role" }),
    sim,
    simCalls: () => h.sim.stats().calls,
    async cleanup() {
      setDbProviderForTests(null);
      await db.cleanup();
      vi.unstubAllEnvs();
      resetServerEnvCache();
    },
  };
  return h;
}

export interface User {
  userId: string;
  email: string;
  cookie: string;
  db: Db;
}

export async function makeUser(h: Harness, email: string, opts: { admin?: boolean } = {}): Promise<User> {
  const r = await h.service.rpc("sign_in_local_user", { p_email: email, p_promote_admin: opts.admin ?? false });
  const cookie = await sessionCookieFor({ userId: r.userId, email });
  return { userId: r.userId, email, cookie, db: h.db.provider.as({ role: "authenticated", userId: r.userId, email }) };
}

let slugCounter = 0;

const defaultTopicNames = ["Black holes", "Exoplanets", "Comets", "Nebulae", "Pulsars", "Galaxies", "Meteors", "Moons"];

/** A subject with `n` topics and no lessons. */
export async function makeTopics(h: Harness, n: number, subjectName = "Astronomy", topicNames = defaultTopicNames): Promise<{ id: string; name: string }[]> {
  const s = ++slugCounter;
  const [subject] = await h.db.sql.query("insert into public.subjects (slug, name, position) values ($1, $2, $3) returning id", [`subject-${s}`, subjectName, s]);
  const out: { id: string; name: string }[] = [];
  for (let i = 0; i < n; i++) {
    const name = topicNames[i % topicNames.length] + (i >= topicNames.length ? ` ${i}` : "");
    const [t] = await h.db.sql.query("insert into public.topics (subject_id, slug, name, position) values ($1, $2, $3, $4) returning id", [
      subject.id,
      `topic-${s}-${i}`,
      name,
      i,
    ]);
    out.push({ id: String(t.id), name });
  }
  return out;
}

function seedContent(title: string, difficulty: string) {
  const q = { question: `What is true about ${title}?`, choices: ["A", "B", "C", "D"], correctIndex: 0, explanation: "Because A." };
  return { version: 1, title, content: `${title} explained in a few words.`, difficulty, questions: [q, q, q], keyTerms: [] };
}

export async function makeLesson(h: Harness, topicId: string, title: string, difficulty = "easy"): Promise<string> {
  const [row] = await h.db.sql.query(
    `insert into public.lessons (topic_id, difficulty, title, normalized_title, content, source)
     values ($1, $2, $3, private.normalize_title($3), $4::jsonb, 'seed') returning id`,
    // The object itself: both drivers send it as jsonb. A JSON.stringify'd string would be stored as a
    // jsonb string, which no real lesson is (the function contracts refuse it).
    [topicId, difficulty, title, seedContent(title, difficulty)],
  );
  return String(row.id);
}

/** A playlist owned by `user` holding `lessonIds`, made through the learner functions. */
export async function makePlaylist(user: User, title: string, lessonIds: string[]): Promise<string> {
  const p = await user.db.rpc("create_playlist", { p_title: title });
  for (const id of lessonIds) await user.db.rpc("add_playlist_lesson", { p_playlist_id: p.id, p_lesson_id: id });
  return p.id;
}

const counted = [
  "lessons",
  "playlists",
  "playlist_lessons",
  "generation_requests",
  "quota_reservations",
  "usage_events",
  "feed_items",
  "topic_follows",
  "rate_limit_buckets",
  "generation_allowances",
  "spend_days",
  "auth_sessions",
] as const;

/** Row counts of every table a request could write. */
export async function rowCounts(h: Harness): Promise<Record<string, number>> {
  const sql = `select ${counted.map((t) => `(select count(*) from public.${t})::int as ${t}`).join(", ")}`;
  const [row] = await h.db.sql.query(sql);
  return Object.fromEntries(counted.map((t) => [t, Number(row[t])]));
}

export interface CallOptions {
  cookie?: string;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
  params?: Record<string, string>;
  signal?: AbortSignal;
}

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Calls an exported route handler the way Next does: a Request and a context with Promise params. */
export async function call(handler: unknown, method: string, path: string, opts: CallOptions = {}): Promise<Response> {
  const headers = new Headers(opts.headers);
  if (opts.cookie) headers.set("cookie", opts.cookie);
  let body: BodyInit | undefined = opts.body;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const req = new Request(`http://localhost${path}`, { method, headers, body, signal: opts.signal, duplex: "half" } as RequestInit);
  return (handler as Handler)(req, { params: Promise.resolve(opts.params ?? {}) });
}

export async function errorCode(res: Response): Promise<string | null> {
  try {
    const b = (await res.clone().json()) as { error?: { code?: string } };
    return b.error?.code ?? null;
  } catch {
    return null;
  }
}

/** Reads an NDJSON response to the end (or until `stopAfter` says so, then cancels the stream). */
export async function readNdjson(res: Response, stopAfter?: (event: Record<string, unknown>) => boolean): Promise<Record<string, unknown>[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: Record<string, unknown>[] = [];
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (!line) continue;
      const event = JSON.parse(line) as Record<string, unknown>;
      events.push(event);
      if (stopAfter?.(event)) {
        await reader.cancel();
        return events;
      }
    }
  }
  return events;
}

/** Quota status of a user, through the learner function. */
export async function quotaOf(user: User): Promise<{ usedToday: number; reserved: number; remaining: number }> {
  return user.db.rpc("get_my_quota");
}
