// npm run sim -- --port 4010 --profile typical [--host 127.0.0.1] [--time-scale 1] [--seed 42]
//                [--rpm N] [--tpm N] [--fault-rate 0.2] [--models sim-standard,sim-mini]
// The OpenAI-compatible simulator as a standalone server: POST /v1/chat/completions, GET /v1/models,
// GET /sim/stats. Flags, not environment variables: this is a dev tool, not part of the app's config.
import { startSimServer, SIM_PROFILES, type SimProfileName } from "../lib/llm/sim";

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) continue;
    const [k, inline] = a.slice(2).split("=", 2);
    if (inline !== undefined) out[k] = inline;
    else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) out[k] = argv[++i];
    else out[k] = "true";
  }
  return out;
}

function numberArg(args: Record<string, string>, name: string): number | undefined {
  if (args[name] === undefined) return undefined;
  const n = Number(args[name]);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number`);
  return n;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const profile = (args.profile ?? "typical") as SimProfileName;
  if (!(profile in SIM_PROFILES)) throw new Error(`--profile must be one of: ${Object.keys(SIM_PROFILES).join(", ")}`);
  const server = await startSimServer({
    port: numberArg(args, "port") ?? 4010,
    host: args.host ?? "127.0.0.1",
    profile,
    timeScale: numberArg(args, "time-scale"),
    seed: numberArg(args, "seed"),
    rpm: numberArg(args, "rpm"),
    tpm: numberArg(args, "tpm"),
    faultRate: numberArg(args, "fault-rate"),
    models: args.models ? args.models.split(",").map((s) => s.trim()).filter(Boolean) : undefined,
  });
  console.log(`Lessonloom simulator (${profile}) listening on ${server.url}  models: ${server.sim.models.join(", ")}`);
  console.log(`  stats: ${server.url.replace(/\/v1$/, "")}/sim/stats`);
  const stop = () => {
    server.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
