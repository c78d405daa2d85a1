"use client";

import Link from "next/link";
import { useState } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { apiFetch, describeError } from "@/lib/ui/api-client";
import { playlistResponse, type PlaylistSummary } from "@/lib/contracts";

// Add the lesson to one of the learner's playlists, or to a new one made on the spot.
export function AddToPlaylist({ lessonId, playlists }: { lessonId: string; playlists: PlaylistSummary[] }) {
  const [choice, setChoice] = useState(playlists[0]?.id ?? "new");
  const [newTitle, setNewTitle] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string; href?: string } | null>(null);

  return (
    <form
      aria-labelledby="add-heading"
      className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setMessage(null);
        try {
          let target = playlists.find((p) => p.id === choice);
          if (!target) {
            target = await apiFetch("/api/playlists", playlistResponse, { method: "POST", body: { title: newTitle.trim() } });
          }
          await apiFetch(`/api/playlists/${target.id}/lessons`, playlistResponse, { method: "POST", body: { lessonId } });
          setMessage({ ok: true, text: `Added to “${target.title}”.`, href: `/playlists/${target.id}` });
        } catch (err) {
          setMessage({ ok: false, text: describeError(err) });
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2 id="add-heading" className="text-base font-semibold text-slate-900">
        Add to a playlist
      </h2>
      <label htmlFor="add-playlist" className="mt-3 block text-sm font-medium text-slate-800">
        Playlist
      </label>
      <select id="add-playlist" value={choice} onChange={(e) => setChoice(e.target.value)} className="mt-1 block h-10 w-full rounded-lg border border-slate-300 bg-white px-3">
        {playlists.map((p) => (
          <option key={p.id} value={p.id}>
            {p.title}
          </option>
        ))}
        <option value="new">New playlist…</option>
      </select>
      {choice === "new" ? (
        <>
          <label htmlFor="add-new-title" className="mt-3 block text-sm font-medium text-slate-800">
            New playlist title
          </label>
          <input id="add-new-title" value={newTitle} onChange={(e) => setNewTitle(e.target.value)} required maxLength={80} className="mt-1 block h-10 w-full rounded-lg border border-slate-300 px-3" />
        </>
      ) : null}
      <button type="submit" className={`${buttonClass("primary")} mt-4 w-full`} disabled={busy}>
        {busy ? "Adding…" : "Add to playlist"}
      </button>
      <p aria-live="polite" className="mt-2 min-h-5 text-sm">
        {message ? (
          <span className={message.ok ? "text-emerald-800" : "text-red-700"}>
            {message.text}{" "}
            {message.href ? (
              <Link href={message.href} className="font-medium text-brand-700 underline">
                Open playlist
              </Link>
            ) : null}
          </span>
        ) : null}
      </p>
    </form>
  );
}
