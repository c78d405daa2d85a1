// Per-user fair share in the call scheduler: while other learners' calls wait, one learner holds at most
// LLM_USER_MAX_SHARE of the concurrency, so a learner with a long queue cannot stall everyone else.
import { describe, expect, it } from "vitest";
import { createGateway } from "@/lib/llm/gateway";
import { RateLimiter } from "@/lib/llm/rate-limiter";
import { createSimulator } from "@/lib/llm/sim";
import { realClock } from "@/lib/clock";

/** Runs 40 calls for learner A, then 2 for learner B, through one gateway; answers the order the simulator saw them. */
async function sendOrder(userMaxShare: number | undefined) {
  const sim = createSimulator({ profile: "instant", seed: 7 });
  const order: string[] = [];
  const fetchInOrder = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as { messages: { content: string }[] };
    order.push(body.messages[0].content.slice("Topic: ".length, "Topic: ".length + 1));
    return sim.fetch(input, init);
  }) as typeof fetch;
  const gw = createGateway(
    { provider: "sim", model: "sim-standard", maxConcurrency: 4, userMaxShare, timeoutMs: 5_000 },
    { fetch: fetchInOrder },
  );
  const call = (user: string, i: number) =>
    gw.chat({ model: "sim-standard", messages: [{ role: "user", content: `Topic: ${user} ${i}` }] }, { userId: `learner-${user}` });
  const calls = [...Array.from({ length: 40 }, (_, i) => call("A", i)), ...Array.from({ length: 2 }, (_, i) => call("B", i))];
  const results = await Promise.all(calls);
  expect(results.every((r) => r.status === 200)).toBe(true);
  expect(sim.stats().calls).toBe(42);
  return order;
}

const positionsOf = (order: string[], user: string) => order.flatMap((u, i) => (u === user ? [i] : []));

describe("fair share in the call scheduler (simulator)", () => {
  it("starts the second learner's 2 calls before most of the first learner's 40 queued calls", async () => {
    const order = await sendOrder(0.5);
    const b = positionsOf(order, "B");
    expect(b).toHaveLength(2);
    // 4 slots, A alone takes all 4; the first 2 slots to free go to B (A is over its share of 2).
    expect(Math.max(...b)).toBeLessThan(8);
  });

  it("without a share the queue is first-in-first-out and B waits behind all of A", async () => {
    const order = await sendOrder(1);
    expect(positionsOf(order, "B")).toEqual([40, 41]);
  });

  it("gives a freed slot to a waiting learner under the share, not to the learner over it who queued first", async () => {
    const limiter = new RateLimiter({ maxConcurrency: 4, userMaxShare: 0.5, clock: realClock });
    const a = await Promise.all([0, 1, 2, 3].map(() => limiter.acquire(1, { userId: "a" })));
    const granted: string[] = [];
    const aWaiting = limiter.acquire(1, { userId: "a" }).then((p) => (granted.push("a"), p));
    const bWaiting = limiter.acquire(1, { userId: "b" }).then((p) => (granted.push("b"), p));
    a[0].release({}); // A still holds 3 of 4, over its share of 2, while B waits: the slot is B's
    await bWaiting;
    expect(granted).toEqual(["b"]);
    a[1].release({}); // nobody else waits now, so A's call goes even though A holds 2
    await aWaiting;
    expect(granted).toEqual(["b", "a"]);
    expect(limiter.snapshot().inFlight).toBe(4);
  });
});
