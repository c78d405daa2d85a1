// The Db port on a Postgres server via the `postgres` driver: each rpc is one transaction with
// PostgREST's per-request role and claims, its result parsed with the function's contract (the
// connecting user must be a member of anon, authenticated and service_role, as Supabase's
// `authenticator` is).
import "server-only";
import type { Sql, TransactionSql } from "postgres";
import { contractDb } from "./contract-db";
import type { Db, DbActor, DbProvider } from "./port";
import { runRpc, toDbError, type TxQuery } from "./sql-rpc";
import type { SqlExecutor, SqlTx } from "./sql-executor";

type Params = Parameters<Sql["unsafe"]>[1];

function txQuery(tx: TransactionSql): TxQuery {
  return async (sql, params) => [...(await tx.unsafe(sql, (params ?? []) as Params))] as Record<string, unknown>[];
}

export function createPostgresProvider(sql: Sql): DbProvider {
  return {
    kind: "postgres",
    as(actor: DbActor): Db {
      return contractDb(async (fn, args) => {
        try {
          return await sql.begin((tx) => runRpc(txQuery(tx), actor, fn, args));
        } catch (err) {
          throw toDbError(err);
        }
      });
    },
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}

function asTx(q: Sql | TransactionSql): SqlTx {
  return {
    async query(text, params) {
      return [...(await q.unsafe(text, (params ?? []) as Params))] as Record<string, unknown>[];
    },
    async exec(text) {
      await q.unsafe(text).simple();
    },
  };
}

/** Raw SQL access for the migration runner and tests. */
export function postgresExecutor(sql: Sql): SqlExecutor {
  return {
    ...asTx(sql),
    async transaction(fn) {
      return (await sql.begin((tx) => fn(asTx(tx)))) as Awaited<ReturnType<typeof fn>>;
    },
  };
}
