// Raw SQL access used by the migration runner and tests: the smallest surface both drivers share.
export interface SqlTx {
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Several statements, no parameters (simple query protocol). */
  exec(sql: string): Promise<void>;
}

export interface SqlExecutor extends SqlTx {
  transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>;
}
