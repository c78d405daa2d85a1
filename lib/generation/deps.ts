// What the generation services need, injected: the service-role database, the model gateway, a usage
// sink and a clock. Routes use the process defaults; tests swap the database and gateway through
// setDbProviderForTests / setGatewayForTests, which these defaults honour.
import "server-only";
import { realClock, type Clock } from "@/lib/clock";
import { serviceDb } from "@/lib/db";
import type { Db } from "@/lib/db/port";
import { getGateway } from "@/lib/llm";
import type { LlmGateway } from "@/lib/llm/types";
import { processModeration } from "@/lib/moderation/process";
import type { ModerationPort } from "@/lib/moderation/types";
import { createDbUsageSink } from "@/lib/usage/db-sink";
import { spendCappedGateway } from "@/lib/budget/spend-cap";
import type { UsageSink } from "@/lib/usage/types";

export interface GenerationDeps {
  service: () => Promise<Db>;
  llm: LlmGateway;
  usage: UsageSink;
  clock: Clock;
  /** Screens every generated lesson before it is saved or shown (docs/quality.md); none: unscreened. */
  moderation?: ModerationPort;
}

// One sink per process so its retry backlog survives between requests.
let sink: UsageSink | undefined;

export function defaultGenerationDeps(): GenerationDeps {
  sink ??= createDbUsageSink({ db: serviceDb });
  // Every model call first checks the deployment's daily spend cap (docs/security.md).
  const llm = spendCappedGateway(getGateway(), serviceDb);
  return { service: serviceDb, llm, usage: sink, clock: realClock, moderation: processModeration(llm) };
}
