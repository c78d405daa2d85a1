// Every variable lib/env.ts declares is documented twice: a line of .env.example (set, or named in a
// comment for those that tools set) and a row of the README's variable table.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

/** The keys of lib/env.ts's server and client schemas, read from the source. */
function declaredVariables(): string[] {
  const source = read("lib/env.ts");
  const names = new Set<string>();
  for (const schema of ["serverSchema", "clientSchema"]) {
    const start = source.indexOf(`const ${schema} = z.object({`);
    expect(start, `${schema} in lib/env.ts`).toBeGreaterThanOrEqual(0);
    const body = source.slice(start, source.indexOf("\n});", start));
    for (const m of body.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)) names.add(m[1]);
  }
  return [...names].sort();
}

describe("environment variables are documented", () => {
  const vars = declaredVariables();

  it("reads a sensible list from lib/env.ts", () => {
    expect(vars.length).toBeGreaterThan(40);
    expect(vars).toEqual(expect.arrayContaining(["DATABASE_URL", "LLM_PROVIDER", "JOBS_CONCURRENCY", "SPEND_CAP_DAILY_USD", "NEXT_PUBLIC_SUPABASE_URL"]));
  });

  it("each has a line in .env.example", () => {
    const example = read(".env.example");
    const missing = vars.filter((v) => !new RegExp(`^(# )?${v}(=|:)`, "m").test(example));
    expect(missing, "add these to .env.example").toEqual([]);
  });

  it("each has a row in the README's configuration table", () => {
    const readme = read("README.md");
    const missing = vars.filter((v) => !new RegExp(`^\\| \`${v}\` \\|`, "m").test(readme));
    expect(missing, "add these to the README's variable table").toEqual([]);
  });

  it("nothing is documented that lib/env.ts does not declare", () => {
    const example = read(".env.example");
    const documented = [...example.matchAll(/^(?:# )?([A-Z][A-Z0-9_]+)(?:=|:)/gm)].map((m) => m[1]);
    expect(documented.filter((v) => !vars.includes(v))).toEqual([]);
  });
});
