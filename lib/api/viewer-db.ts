// The database as the signed-in viewer: RLS and auth.uid() apply exactly as they would through PostgREST.
import "server-only";
import type { Viewer } from "@/lib/auth";
import { getDb } from "@/lib/db";
import type { Db } from "@/lib/db/port";

export function viewerDb(viewer: Viewer): Promise<Db> {
  return getDb({ role: "authenticated", userId: viewer.userId, email: viewer.email });
}
