// Adds package-lock entries for platform binaries that the package registry reachable here does not
// serve (for example @next/swc-darwin-arm64 for the pinned Next.js). `npm install` silently leaves them
// out, and `npm ci` then refuses the lockfile as out of sync. The entries carry the platform (`os`,
// `cpu`) so npm skips them on Linux, and install them normally elsewhere.
// Run after changing dependencies:  node scripts/lockfile-platform-entries.mjs
import { readFileSync, writeFileSync } from "node:fs";

const file = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(file, "utf8"));
const pkgs = lock.packages;

const OSES = ["android", "darwin", "freebsd", "linux", "win32", "openharmony", "sunos", "aix", "netbsd", "openbsd"];
const CPUS = ["arm64", "x64", "ia32", "arm", "loong64", "ppc64", "riscv64", "s390x", "wasm32"];
const platformOf = (name) => {
  const base = name.split("/").pop();
  const parts = base.split("-");
  return { os: OSES.find((o) => parts.includes(o)), cpu: CPUS.find((c) => parts.includes(c)) };
};

const added = [];
for (const [path, pkg] of Object.entries(pkgs)) {
  for (const [name, spec] of Object.entries(pkg.optionalDependencies ?? {})) {
    const nested = `${path ? `${path}/` : ""}node_modules/${name}`;
    if (pkgs[`node_modules/${name}`] || pkgs[nested]) continue;
    const { os, cpu } = platformOf(name);
    if (!os && !cpu) continue; // not a platform binary: leave real gaps for npm to report
    // Keys in the order npm itself writes them, so a later `npm install` leaves the file byte-identical.
    const entry = { version: spec.replace(/^[\^~=]/, "") };
    if (cpu) entry.cpu = [cpu];
    if (pkg.dev) entry.dev = true;
    entry.optional = true;
    if (os) entry.os = [os];
    pkgs[`node_modules/${name}`] = entry;
    added.push(`${name}@${entry.version}`);
  }
}

lock.packages = Object.fromEntries(
  Object.entries(pkgs).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0)),
);
writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
console.log(added.length ? `added ${added.length} platform entries:\n  ${added.join("\n  ")}` : "lockfile already complete");
