// The registry: every Postgres function the app calls, by name, with its contract. `Db.rpc(name, args)`
// takes its argument and result types from here, and the adapters parse every result with it. A test
// (tests/db/function-contracts.test.ts) compares the registry with the migrated database's signatures.
import type { z } from "zod";
import { accountFunctions } from "./accounts";
import { budgetFunctions } from "./budgets";
import { feedFunctions } from "./feed";
import { generationFunctions } from "./generation";
import { learnerFunctions } from "./learner";
import { quotaFunctions } from "./quota";
import { rateLimitFunctions } from "./rate-limits";
import { reportFunctions } from "./reports";
import { slowLaneFunctions } from "./slowlane";
import { usageFunctions } from "./usage";

export const dbFunctions = {
  ...learnerFunctions,
  ...accountFunctions,
  ...quotaFunctions,
  ...generationFunctions,
  ...feedFunctions,
  ...usageFunctions,
  ...rateLimitFunctions,
  ...budgetFunctions,
  ...reportFunctions,
  ...slowLaneFunctions,
};

export type DbFunctions = typeof dbFunctions;
export type FunctionName = keyof DbFunctions;
/** What a caller passes: the input type of the args schema (optional where the SQL has a default). */
export type ArgsOf<N extends FunctionName> = z.input<DbFunctions[N]["args"]>;
/** What the caller gets back: the parsed result. */
export type ResultOf<N extends FunctionName> = z.output<DbFunctions[N]["result"]>;

export function isFunctionName(name: string): name is FunctionName {
  return Object.hasOwn(dbFunctions, name);
}

export { fn, type FnContract } from "./contract";
export { topicShortfall } from "./feed";
export { generatedLessonRow } from "./generation";
export { quotaReservation } from "./quota";
