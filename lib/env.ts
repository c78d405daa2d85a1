// Every environment variable Lessonloom reads, declared once and validated with zod.
// Nothing else in the code base touches process.env.
import { z } from "zod";

const flag = z
  .enum(["1", "0", "true", "false", "yes", "no"])
  .optional()
  .transform((v) => v === "1" || v === "true" || v === "yes");
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined));
const optionalUrl = optionalString.pipe(z.url().optional());
const positiveInt = (fallback: number) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.coerce.number().int().positive().default(fallback));
const nonNegativeNumber = (fallback: number) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.coerce.number().nonnegative().default(fallback));
const optionalPositiveInt = z.preprocess(
  (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
  z.coerce.number().int().positive().optional(),
);

export const providerIds = ["openai", "groq", "cerebras", "deepinfra", "ollama", "sim", "custom"] as const;
export const simProfiles = ["instant", "fast", "typical", "free-tier", "chaos", "openai-like", "groq-like", "cerebras-like"] as const;

const serverSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  CI: flag,

  // Database
  DATABASE_URL: optionalString,
  PGLITE_DIR: z.string().default(".data/pglite"),
  DEMO_SEED: z.enum(["on", "off"]).default("on"),
  TEST_DATABASE_URL: optionalString,

  // Supabase (production)
  NEXT_PUBLIC_SUPABASE_URL: optionalUrl,
  NEXT_PUBLIC_SUPABASE_ANON_KEY: optionalString,
  SUPABASE_SERVICE_ROLE_KEY: optionalString,
  // Direct (or session-mode pooler) connection string for job workers: the job engine needs a
  // session-pinned connection, which PostgREST and the transaction pooler cannot give (docs/operations.md).
  SUPABASE_DB_URL: optionalString,

  // Auth
  LOCAL_AUTH: z.enum(["allow", "deny"]).optional(),
  AUTH_SECRET: optionalString.pipe(z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional()),
  ADMIN_EMAILS: optionalString.transform((v) =>
    (v ?? "")
      .split(",")
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  ),

  // LLM provider
  LLM_PROVIDER: z.enum(providerIds).optional(),
  LLM_BASE_URL: optionalUrl,
  LLM_API_KEY: optionalString,
  LLM_MODEL: optionalString,
  LLM_MODEL_BACKGROUND: optionalString,
  LLM_MAX_CONCURRENCY: positiveInt(10),
  // While other learners' calls wait, one learner holds at most this share of LLM_MAX_CONCURRENCY.
  LLM_USER_MAX_SHARE: z.coerce.number().gt(0).max(1).default(0.5),
  LLM_RPM: optionalPositiveInt,
  LLM_TPM: optionalPositiveInt,
  LLM_TIMEOUT_MS: positiveInt(60_000),

  // Simulator
  SIM_PROFILE: z.enum(simProfiles).default("typical"),
  SIM_TIME_SCALE: z.coerce.number().positive().default(1),
  SIM_SEED: z.coerce.number().int().default(42),

  // Background prefetch and request limits
  CRON_SECRET: optionalString.pipe(z.string().min(16, "CRON_SECRET must be at least 16 characters").optional()),
  FYP_PENDING_PER_TOPIC: positiveInt(2),

  // Job engine (pg-boss; docs/operations.md)
  JOBS_PLAN_CRON: z.string().trim().min(1).default("* * * * *"),
  JOBS_CONCURRENCY: positiveInt(2),
  JOBS_URGENT_CONCURRENCY: positiveInt(1),
  JOBS_EXPIRE_SECONDS: positiveInt(600),
  JOBS_RETRY_LIMIT: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.coerce.number().int().min(0).default(3)),
  // "on": the dev server runs a worker in-process (the embedded default); "off": only `npm run worker` does.
  JOBS_IN_PROCESS_WORKER: z.enum(["on", "off"]).optional(),
  // The slow lane (provider Batch APIs; docs/slow-lane.md): "auto" uses it where the provider has one.
  SLOW_LANE: z.enum(["auto", "off"]).default("auto"),
  // Lessons a topic's followers will read within this many hours go fast; beyond it, slow.
  SLOW_LANE_FAST_HORIZON_HOURS: z.coerce.number().positive().max(24).default(3),
  // A slow batch still out this many minutes before its deadline is cancelled and finished through flex (else fast).
  SLOW_LANE_DEADLINE_MARGIN_MINUTES: z.coerce.number().positive().max(600).default(20),
  SLOW_LANE_POLL_CRON: z.string().trim().min(1).default("*/2 * * * *"),

  // One RPM/TPM budget across processes, kept in Postgres (lib/llm/shared-rate-limit.ts)
  LLM_SHARED_RATE_LIMIT: flag,
  LLM_INTERACTIVE_RESERVE: z.coerce.number().min(0).max(0.9).default(0.2),
  TRUST_PROXY: flag,
  // Which header the trusted proxy sets: the right-most X-Forwarded-For entry (default), or X-Real-IP
  // for proxies that overwrite it (nginx `proxy_set_header X-Real-IP $remote_addr`).
  TRUST_PROXY_IP_HEADER: z.enum(["x-forwarded-for", "x-real-ip"]).default("x-forwarded-for"),

  // Spend control and retention (docs/security.md)
  SPEND_CAP_DAILY_USD: nonNegativeNumber(50),
  TOPUP_LESSONS_DAILY: positiveInt(120),
  BACKGROUND_LESSONS_DAILY: positiveInt(2000),
  FEED_SEEN_PER_MINUTE: positiveInt(60),
  IDEMPOTENCY_RETENTION_DAYS: positiveInt(7),
  LEDGER_RETENTION_DAYS: positiveInt(35),

  // Tests
  CHROMIUM_PATH: optionalString,

  // Set by Next.js itself ("phase-production-build" during `next build`): the database is never opened then.
  NEXT_PHASE: optionalString,
});

export type ServerEnv = z.infer<typeof serverSchema>;

function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
}

// An empty variable (`FOO=` in .env) means "not set", so defaults apply.
function withoutEmpty(source: Record<string, string | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(source)) out[k] = v === undefined || v.trim() === "" ? undefined : v;
  return out;
}

let cached: ServerEnv | undefined;

/** Server environment, parsed on first use. Throws a readable error naming every bad variable. */
export function serverEnv(): ServerEnv {
  if (typeof window !== "undefined") throw new Error("serverEnv() must not be called in the browser");
  if (!cached) {
    const parsed = serverSchema.safeParse(withoutEmpty(process.env));
    if (!parsed.success) throw new Error(`Invalid environment configuration:\n${formatIssues(parsed.error)}`);
    cached = parsed.data;
  }
  return cached;
}

/** For tests that change the environment between cases. */
export function resetServerEnvCache(): void {
  cached = undefined;
}

const clientSchema = z.object({
  NEXT_PUBLIC_SUPABASE_URL: optionalUrl,
  NEXT_PUBLIC_SUPABASE_ANON_KEY: optionalString,
});

// NEXT_PUBLIC_ variables must be referenced literally so Next can inline them into the browser bundle.
export const clientEnv = clientSchema.parse(withoutEmpty({
  NEXT_PUBLIC_SUPABASE_URL: process.env.NEXT_PUBLIC_SUPABASE_URL,
  NEXT_PUBLIC_SUPABASE_ANON_KEY: process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY,
}));

/** Runtime mode summary derived from the environment (docs/architecture.md, runtime modes). */
export function runtimeMode(e: ServerEnv = serverEnv()) {
  const supabase = Boolean(e.NEXT_PUBLIC_SUPABASE_URL);
  const database = supabase ? "supabase" : e.DATABASE_URL ? "postgres" : "pglite";
  const provider = e.LLM_PROVIDER ?? (e.LLM_BASE_URL ? "custom" : e.LLM_API_KEY ? "openai" : "sim");
  return { database, auth: supabase ? "supabase" : "local", provider } as const;
}
