import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { PlaylistIndex } from "@/components/playlists/playlist-index";
import { getPageSession } from "@/lib/ui/server-session";

export const metadata: Metadata = { title: "Playlists" };

// The learner's playlists, with a form to start a new one.
export default async function PlaylistsPage() {
  const session = await getPageSession();
  if (!session) redirect("/login?next=/playlists");
  const { playlists } = await session.db.rpc("list_playlists");
  return (
    <section className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold tracking-tight sm:text-3xl">Playlists</h1>
        <p className="mt-1 max-w-prose text-slate-600">Collect lessons you like, then ask for more like them.</p>
      </header>
      <PlaylistIndex initial={playlists} />
    </section>
  );
}
