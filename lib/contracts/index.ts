// Every wire shape of Lessonloom, once, as zod schemas: closed lists (enums), entities, request bodies,
// queries and params, and responses. Route handlers, pages, browser code, the database function
// contracts (lib/db/functions) and tests all import from here. Safe in the browser: zod only.
export * from "./enums";
export * from "./entities";
export * from "./requests";
export * from "./responses";
export * from "./generation-stream";
export * from "./reports";
