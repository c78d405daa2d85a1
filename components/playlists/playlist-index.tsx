"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { apiFetch, describeError } from "@/lib/ui/api-client";
import { playlistResponse, type PlaylistSummary } from "@/lib/contracts";

// The list of playlists and the "new playlist" form. Creating one opens it.
export function PlaylistIndex({ initial }: { initial: PlaylistSummary[] }) {
  const router = useRouter();
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);

  return (
    <div className="space-y-6">
      <form
        className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5"
        aria-labelledby="new-playlist"
        onSubmit={async (e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const title = String(form.get("title") ?? "").trim();
          const description = String(form.get("description") ?? "").trim();
          setCreating(true);
          setError(null);
          try {
            const created = await apiFetch("/api/playlists", playlistResponse, {
              method: "POST",
              body: description ? { title, description } : { title },
            });
            router.push(`/playlists/${created.id}`);
          } catch (err) {
            setError(describeError(err));
            setCreating(false);
          }
        }}
      >
        <h2 id="new-playlist" className="text-base font-semibold text-slate-900">
          New playlist
        </h2>
        <div className="mt-3 grid gap-3 sm:grid-cols-[1fr_1.5fr_auto] sm:items-end">
          <div>
            <label htmlFor="playlist-title" className="block text-sm font-medium text-slate-800">
              Title
            </label>
            <input id="playlist-title" name="title" required maxLength={80} className="mt-1 block h-10 w-full rounded-lg border border-slate-300 px-3 shadow-sm" />
          </div>
          <div>
            <label htmlFor="playlist-description" className="block text-sm font-medium text-slate-800">
              Description <span className="font-normal text-slate-600">(optional)</span>
            </label>
            <input id="playlist-description" name="description" maxLength={280} className="mt-1 block h-10 w-full rounded-lg border border-slate-300 px-3 shadow-sm" />
          </div>
          <button type="submit" className={buttonClass("primary")} disabled={creating}>
            {creating ? "Creating…" : "Create playlist"}
          </button>
        </div>
        {error ? (
          <p role="alert" className="mt-3 text-sm text-red-700">
            {error}
          </p>
        ) : null}
      </form>

      {initial.length === 0 ? (
        <div className="rounded-2xl border border-dashed border-slate-300 bg-white px-6 py-12 text-center">
          <h2 className="text-lg font-semibold text-slate-900">No playlists yet</h2>
          <p className="mx-auto mt-2 max-w-md text-sm text-slate-600">Create one above, then add lessons to it from any lesson page.</p>
        </div>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label="Your playlists">
          {initial.map((p) => (
            <li key={p.id}>
              <Link
                href={`/playlists/${p.id}`}
                className="flex h-full flex-col rounded-xl border border-slate-200 bg-white p-4 shadow-sm transition-shadow hover:border-brand-600 hover:shadow-md"
                data-testid="playlist-link"
                data-lesson-count={p.lessonCount}
              >
                <span className="text-base font-semibold text-slate-900">{p.title}</span>
                {p.description ? <span className="mt-1 line-clamp-2 text-sm text-slate-600">{p.description}</span> : null}
                <span className="mt-auto flex items-center gap-2 pt-4 text-xs text-slate-600">
                  <span>
                    {p.lessonCount} lesson{p.lessonCount === 1 ? "" : "s"}
                  </span>
                  {p.topicName ? (
                    <>
                      <span aria-hidden>·</span>
                      <span>{p.topicName}</span>
                    </>
                  ) : null}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
