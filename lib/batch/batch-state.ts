// State that outlives one generateLessonBatch call: circuit breakers per model and the halved chunk
// size a group keeps for a while after a truncation. Kept per gateway unless injected.
import type { LlmGateway } from "@/lib/llm/types";
import { CircuitBreaker } from "./circuit-breaker";

export interface BatchState {
  breakers: Map<string, CircuitBreaker>;
  /** group key → chunk size cap after a truncation, and when that memory expires (clock ms). */
  truncationCaps: Map<string, { cap: number; until: number }>;
}

export function createBatchState(): BatchState {
  return { breakers: new Map(), truncationCaps: new Map() };
}

const perGateway = new WeakMap<LlmGateway, BatchState>();

export function batchStateFor(llm: LlmGateway, injected?: BatchState): BatchState {
  if (injected) return injected;
  // Wrappers made per request (the spend cap, the usage journal) share the state of the gateway they wrap.
  while (llm.underlying) llm = llm.underlying;
  let s = perGateway.get(llm);
  if (!s) {
    s = createBatchState();
    perGateway.set(llm, s);
  }
  return s;
}

export function breakerFor(state: BatchState, model: string, threshold: number, cooldownMs: number): CircuitBreaker {
  let b = state.breakers.get(model);
  if (!b) {
    b = new CircuitBreaker(threshold, cooldownMs);
    state.breakers.set(model, b);
  }
  return b;
}
