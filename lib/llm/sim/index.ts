// The OpenAI-compatible simulator: in-process `fetch` for the openai client, or an HTTP server.
// Never imports app code (docs/architecture.md), so it can run anywhere the openai SDK runs.
export { createSimulator, formatResetDuration } from "./simulator";
export type { SimClock, SimLogEntry, SimOptions, SimStats, Simulator } from "./simulator";
export { startSimServer } from "./server";
export { FAULT_KINDS, type FaultKind } from "./faults";
export { DEFAULT_SIM_MODELS, SIM_PROFILES, type SimProfile, type SimProfileName } from "./profiles";
