import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Browser-side code (and the contracts it shares with the server) must not pull server configuration
    // or data access into the client bundle.
    files: ["components/**/*.{ts,tsx}", "lib/ui/**/*.ts", "lib/contracts/**/*.ts", "lib/supabase/client.ts"],
    ignores: ["lib/ui/server-session.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/lib/env", "@/lib/db", "@/lib/db/*", "@/lib/llm", "@/lib/llm/*", "@/lib/auth", "@/lib/auth/*"], message: "Server-only module: pass what the browser needs as props from a server component." },
          ],
        },
      ],
    },
  },
  {
    // App code calls the database through the typed rpc only; the unchecked call is for tests.
    files: ["app/**/*.{ts,tsx}", "lib/**/*.ts", "components/**/*.{ts,tsx}", "proxy.ts"],
    // Browser files are covered by the stricter rule above (no @/lib/db at all); a second rule would replace it.
    ignores: ["lib/db/**", "components/**", "lib/ui/**", "lib/contracts/**", "lib/supabase/client.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [{ name: "@/lib/db/contract-db", importNames: ["rpcUnchecked"], message: "Call db.rpc(name, args); rpcUnchecked is for tests." }] },
      ],
    },
  },
  globalIgnores([".next/**", "out/**", "build/**", "next-env.d.ts", ".data/**", "test-results/**", "playwright-report/**", "coverage/**"]),
]);
