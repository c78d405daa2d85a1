// The key that signs local session cookies: AUTH_SECRET, or a random one generated once into the data
// directory (`.data/auth-secret`, mode 0600) so sessions survive restarts without any configuration.
import "server-only";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { serverEnv } from "@/lib/env";

const holder = ((globalThis as { __lessonloomAuthSecret?: { key?: Promise<Uint8Array> } }).__lessonloomAuthSecret ??= {});

export function authSecretFile(): string {
  return path.join(path.dirname(path.resolve(serverEnv().PGLITE_DIR)), "auth-secret");
}

async function loadOrCreate(): Promise<Uint8Array> {
  const fromEnv = serverEnv().AUTH_SECRET;
  if (fromEnv) return new TextEncoder().encode(fromEnv);
  const file = authSecretFile();
  await mkdir(path.dirname(file), { recursive: true });
  try {
    await writeFile(file, randomBytes(48).toString("base64url"), { flag: "wx", mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  const secret = (await readFile(file, "utf8")).trim();
  if (secret.length < 32) throw new Error(`${file} holds a secret shorter than 32 characters; delete it to regenerate`);
  return new TextEncoder().encode(secret);
}

export function authSecret(): Promise<Uint8Array> {
  if (!holder.key) {
    holder.key = loadOrCreate();
    holder.key.catch(() => (holder.key = undefined));
  }
  return holder.key;
}

/** Tests that change AUTH_SECRET between cases. */
export function resetAuthSecretCache(): void {
  holder.key = undefined;
}
