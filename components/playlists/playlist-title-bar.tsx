"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { apiFetch, describeError } from "@/lib/ui/api-client";
import { deletedResponse, playlistResponse, type PlaylistSummary } from "@/lib/contracts";

// Title and description, with rename and delete (delete asks once more, inline).
export function PlaylistTitleBar({ playlist, onRenamed }: { playlist: PlaylistSummary; onRenamed: (p: PlaylistSummary) => void }) {
  const router = useRouter();
  const [mode, setMode] = useState<"view" | "rename" | "confirm-delete">("view");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (mode === "rename") {
    return (
      <form
        className="space-y-3 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm"
        onSubmit={async (e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const title = String(form.get("title") ?? "").trim();
          const description = String(form.get("description") ?? "").trim();
          setBusy(true);
          setError(null);
          try {
            const updated = await apiFetch(`/api/playlists/${playlist.id}`, playlistResponse, { method: "PATCH", body: { title, description } });
            onRenamed(updated);
            setMode("view");
            router.refresh();
          } catch (err) {
            setError(describeError(err));
          } finally {
            setBusy(false);
          }
        }}
      >
        <div>
          <label htmlFor="rename-title" className="block text-sm font-medium text-slate-800">
            Title
          </label>
          <input id="rename-title" name="title" defaultValue={playlist.title} required maxLength={80} autoFocus className="mt-1 block h-10 w-full rounded-lg border border-slate-300 px-3" />
        </div>
        <div>
          <label htmlFor="rename-description" className="block text-sm font-medium text-slate-800">
            Description
          </label>
          <input id="rename-description" name="description" defaultValue={playlist.description ?? ""} maxLength={280} className="mt-1 block h-10 w-full rounded-lg border border-slate-300 px-3" />
        </div>
        {error ? (
          <p role="alert" className="text-sm text-red-700">
            {error}
          </p>
        ) : null}
        <div className="flex gap-2">
          <button type="submit" className={buttonClass("primary", "sm")} disabled={busy}>
            Save
          </button>
          <button type="button" className={buttonClass("ghost", "sm")} onClick={() => setMode("view")}>
            Cancel
          </button>
        </div>
      </form>
    );
  }

  return (
    <div>
      <div className="flex flex-wrap items-start gap-3">
        <div className="min-w-0 flex-1">
          <h1 className="break-words text-2xl font-semibold tracking-tight sm:text-3xl">{playlist.title}</h1>
          {playlist.description ? <p className="mt-1 max-w-prose text-slate-600">{playlist.description}</p> : null}
        </div>
        <div className="flex gap-2">
          <button type="button" className={buttonClass("secondary", "sm")} onClick={() => setMode("rename")}>
            Rename
          </button>
          <button type="button" className={buttonClass("danger", "sm")} onClick={() => setMode("confirm-delete")}>
            Delete
          </button>
        </div>
      </div>
      {mode === "confirm-delete" ? (
        <div role="alertdialog" aria-labelledby="confirm-delete-text" className="mt-3 flex flex-wrap items-center gap-3 rounded-xl border border-red-200 bg-red-50 p-3">
          <p id="confirm-delete-text" className="flex-1 text-sm text-red-900">
            Delete “{playlist.title}”? Its lessons stay in the library; the playlist is gone for good.
          </p>
          <button
            type="button"
            autoFocus
            className="h-8 rounded-lg bg-red-700 px-3 text-sm font-medium text-white hover:bg-red-800 disabled:opacity-60"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              setError(null);
              try {
                await apiFetch(`/api/playlists/${playlist.id}`, deletedResponse, { method: "DELETE" });
                router.push("/playlists");
                router.refresh();
              } catch (err) {
                setError(describeError(err));
                setBusy(false);
              }
            }}
          >
            Delete playlist
          </button>
          <button type="button" className={buttonClass("ghost", "sm")} onClick={() => setMode("view")}>
            Cancel
          </button>
          {error ? (
            <p role="alert" className="w-full text-sm text-red-800">
              {error}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
