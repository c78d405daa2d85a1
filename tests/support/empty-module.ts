// Stands in for `server-only` under vitest and scripts: outside Next there is no client bundle to guard.
export {};
