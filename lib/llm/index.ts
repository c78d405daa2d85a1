// The process's LLM gateway, built once from the environment (lib/env.ts). With no provider configured
// it runs on the in-process simulator, which the UI labels as such.
import "server-only";
import { runtimeMode, serverEnv, type ServerEnv } from "@/lib/env";
import { createGateway, type Gateway } from "./gateway";
import { presetFor } from "./presets";
import { SharedRateLimit } from "./shared-rate-limit";
import { createSimulator, SIM_PROFILES, type Simulator } from "./sim";
import type { LlmGateway } from "./types";

interface LlmSingleton {
  gateway: LlmGateway | null;
  sim: Simulator | null;
}

// On globalThis so Next's dev-mode module reloading does not create a second limiter per reload.
const KEY = Symbol.for("lessonloom.llm");
const holder = globalThis as typeof globalThis & { [KEY]?: LlmSingleton };
const state = (): LlmSingleton => (holder[KEY] ??= { gateway: null, sim: null });

/** Builds a gateway from an environment; exported for tests of the configuration rules. */
export function gatewayFromEnv(env: ServerEnv): { gateway: Gateway; sim: Simulator | null } {
  const provider = runtimeMode(env).provider;
  const preset = presetFor(provider);
  const model = env.LLM_MODEL ?? preset.model;
  if (!model) throw new Error(`LLM_MODEL is required for provider "${provider}".`);
  const backgroundModel = env.LLM_MODEL_BACKGROUND ?? preset.backgroundModel ?? model;
  const base = {
    provider,
    model,
    backgroundModel,
    maxConcurrency: env.LLM_MAX_CONCURRENCY,
    userMaxShare: env.LLM_USER_MAX_SHARE,
    timeoutMs: env.LLM_TIMEOUT_MS,
    apiKey: env.LLM_API_KEY,
    baseURL: env.LLM_BASE_URL,
  };
  // With LLM_SHARED_RATE_LIMIT every process takes its RPM/TPM room from one budget in Postgres.
  const sharedLimit = (limits: { rpm?: number; tpm?: number }) =>
    env.LLM_SHARED_RATE_LIMIT
      ? new SharedRateLimit({
          db: async () => (await import("@/lib/db")).serviceDb(),
          provider,
          limits: { ...limits, reserveFraction: env.LLM_INTERACTIVE_RESERVE },
        })
      : undefined;
  if (provider === "sim") {
    const sim = createSimulator({ profile: env.SIM_PROFILE, timeScale: env.SIM_TIME_SCALE, seed: env.SIM_SEED });
    const profile = SIM_PROFILES[env.SIM_PROFILE];
    const gateway = createGateway(
      // The provider-class profiles serve their own models (priced like the real ones they stand in for).
      { ...base, model: env.LLM_MODEL ?? profile.models[0], backgroundModel: env.LLM_MODEL_BACKGROUND ?? profile.models[1], baseURL: env.LLM_BASE_URL ?? preset.baseURL ?? undefined, rpm: env.LLM_RPM ?? profile.rpm, tpm: env.LLM_TPM ?? profile.tpm },
      // The simulator's clock: limiter windows and retry waits run in simulated time like the simulator's own.
      { fetch: sim.fetch, clock: sim.clock, sharedLimit: sharedLimit({ rpm: env.LLM_RPM ?? profile.rpm, tpm: env.LLM_TPM ?? profile.tpm }) },
    );
    return { gateway, sim };
  }
  return { gateway: createGateway({ ...base, rpm: env.LLM_RPM, tpm: env.LLM_TPM }, { sharedLimit: sharedLimit({ rpm: env.LLM_RPM ?? preset.rpm, tpm: env.LLM_TPM ?? preset.tpm }) }), sim: null };
}

export function getGateway(): LlmGateway {
  const s = state();
  if (!s.gateway) {
    const built = gatewayFromEnv(serverEnv());
    s.gateway = built.gateway;
    s.sim = built.sim;
  }
  return s.gateway;
}

/** The in-process simulator when the gateway runs on it (tests, the UI's "simulated" banner), else null. */
export function getSimulator(): Simulator | null {
  getGateway();
  return state().sim;
}

/** Tests swap in their own gateway (and simulator); null restores building from the environment. */
export function setGatewayForTests(gateway: LlmGateway | null, sim: Simulator | null = null): void {
  const s = state();
  s.gateway = gateway;
  s.sim = gateway ? sim : null;
}
