import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { PlaylistView } from "@/components/playlists/playlist-view";
import { uuidParam } from "@/lib/contracts";
import { DbError } from "@/lib/db/port";
import { getPageSession } from "@/lib/ui/server-session";

export const metadata: Metadata = { title: "Playlist" };

// One playlist with its lessons and "Generate similar". Someone else's playlist is a 404.
export default async function PlaylistPage({ params }: { params: Promise<{ id: string }> }) {
  const [{ id }, session] = await Promise.all([params, getPageSession()]);
  if (!session) redirect(`/login?next=/playlists/${encodeURIComponent(id)}`);
  if (!uuidParam.safeParse(id).success) notFound();
  const [playlist, quota] = await Promise.all([
    session.db.rpc("get_playlist", { p_playlist_id: id }).catch((e: unknown) => {
      if (DbError.is(e) && e.code === "P0001") return null;
      throw e;
    }),
    session.db.rpc("get_my_quota").catch(() => null),
  ]);
  if (!playlist) notFound();
  return <PlaylistView initial={playlist} quota={quota} />;
}
