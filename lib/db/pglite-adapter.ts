// The Db port on PGlite (embedded Postgres in WASM): each rpc is one transaction with PostgREST's
// per-request role and claims, its result parsed with the function's contract. PGlite serialises
// transactions itself, so this is safe to share.
import "server-only";
import type { PGlite, Transaction } from "@electric-sql/pglite";
import { contractDb } from "./contract-db";
import type { Db, DbActor, DbProvider } from "./port";
import { runRpc, toDbError, type TxQuery } from "./sql-rpc";
import type { SqlExecutor } from "./sql-executor";

function txQuery(tx: Transaction): TxQuery {
  return async (sql, params) => (await tx.query<Record<string, unknown>>(sql, params)).rows;
}

export function createPgliteProvider(pg: PGlite, opts: { closeDb?: boolean } = {}): DbProvider {
  return {
    kind: "pglite",
    as(actor: DbActor): Db {
      return contractDb(async (fn, args) => {
        try {
          return await pg.transaction((tx) => runRpc(txQuery(tx), actor, fn, args));
        } catch (err) {
          throw toDbError(err);
        }
      });
    },
    async close() {
      if (opts.closeDb !== false && !pg.closed) await pg.close();
    },
  };
}

/** Raw SQL access for the migration runner and tests (runs as the database owner). */
export function pgliteExecutor(pg: PGlite): SqlExecutor {
  return {
    async query(sql, params) {
      return (await pg.query<Record<string, unknown>>(sql, params)).rows;
    },
    async exec(sql) {
      await pg.exec(sql);
    },
    async transaction(fn) {
      return pg.transaction((tx) =>
        fn({
          query: async (sql, params) => (await tx.query<Record<string, unknown>>(sql, params)).rows,
          exec: async (sql) => {
            await tx.exec(sql);
          },
        }),
      );
    },
  };
}
