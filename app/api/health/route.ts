// GET /api/health — liveness plus database and provider mode
import { NextResponse } from "next/server";
import { runtimeMode } from "@/lib/env";

export const dynamic = "force-dynamic";

export async function GET() {
  const mode = runtimeMode();
  return NextResponse.json({ ok: true, db: { mode: mode.database, status: "not configured" }, provider: { mode: mode.provider } });
}
