// First-paint data for server components: the signed-in viewer and a Db bound to them.
import "server-only";
import { cache } from "react";
import { getViewerFromCookies } from "@/lib/auth";
import { getDb } from "@/lib/db";
import type { Db } from "@/lib/db/port";
import { runtimeMode } from "@/lib/env";

export type PageViewer = NonNullable<Awaited<ReturnType<typeof getViewerFromCookies>>>;

export interface PageSession {
  viewer: PageViewer;
  db: Db;
}

/** The viewer and their Db, or null when signed out. Cached per request: the layout and page share it. */
export const getPageSession = cache(async (): Promise<PageSession | null> => {
  const viewer = await getViewerFromCookies();
  if (!viewer) return null;
  const db = await getDb({ role: "authenticated", userId: viewer.userId, email: viewer.email });
  return { viewer, db };
});

/** True when lessons come from the built-in simulator, so the UI must say so. */
export function lessonsAreSimulated(): boolean {
  return runtimeMode().provider === "sim";
}
