"use client";

import { useState } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { difficulties, type Difficulty } from "@/lib/contracts";
import { apiFetch, describeError } from "@/lib/ui/api-client";
import { followResponse, type Catalog, type CatalogTopic } from "@/lib/contracts";

// Subjects as cards, topics as rows with a follow toggle and, when followed, a difficulty.
export function TopicCatalog({ initial }: { initial: Catalog }) {
  const [catalog, setCatalog] = useState(initial);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  function patch(topicId: string, change: Partial<CatalogTopic>) {
    setCatalog((c) => ({
      subjects: c.subjects.map((s) => ({ ...s, topics: s.topics.map((t) => (t.id === topicId ? { ...t, ...change } : t)) })),
    }));
  }

  async function setFollow(topic: CatalogTopic, follow: boolean, difficulty?: Difficulty) {
    setBusy(topic.id);
    setError(null);
    try {
      const answer = await apiFetch(`/api/topics/${topic.id}/follow`, followResponse, {
        method: follow ? "PUT" : "DELETE",
        body: follow && difficulty ? { difficulty } : follow ? {} : undefined,
      });
      patch(topic.id, { followed: answer.followed, difficulty: answer.difficulty ?? difficulty ?? topic.difficulty });
    } catch (e) {
      setError(`Couldn’t update “${topic.name}”: ${describeError(e)}`);
    } finally {
      setBusy(null);
    }
  }

  if (catalog.subjects.length === 0) {
    return <p className="rounded-xl border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">No topics yet.</p>;
  }

  const followedCount = catalog.subjects.reduce((n, s) => n + s.topics.filter((t) => t.followed).length, 0);

  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600" aria-live="polite">
        Following {followedCount} topic{followedCount === 1 ? "" : "s"}.
      </p>
      {error ? (
        <p role="alert" className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      <div className="grid gap-4 md:grid-cols-2">
        {catalog.subjects.map((subject) => (
          <section key={subject.id} aria-labelledby={`subject-${subject.id}`} className="rounded-xl border border-slate-200 bg-white shadow-sm">
            <h2 id={`subject-${subject.id}`} className="border-b border-slate-100 px-4 py-3 text-base font-semibold text-slate-900">
              {subject.name}
            </h2>
            <ul className="divide-y divide-slate-100">
              {subject.topics.map((topic) => (
                <li key={topic.id} className="flex flex-wrap items-center gap-3 px-4 py-3" data-testid="topic-row">
                  <div className="min-w-0 flex-1">
                    <p className="font-medium text-slate-900">{topic.name}</p>
                    <p className="text-xs text-slate-600">
                      {topic.lessonCount} lesson{topic.lessonCount === 1 ? "" : "s"} in the library
                    </p>
                  </div>
                  {topic.followed ? (
                    <label className="flex items-center gap-1.5 text-xs text-slate-700">
                      <span className="sr-only">Difficulty for {topic.name}</span>
                      <select
                        className="h-8 rounded-md border border-slate-300 bg-white px-2 text-sm capitalize"
                        value={topic.difficulty ?? "easy"}
                        disabled={busy === topic.id}
                        onChange={(e) => void setFollow(topic, true, e.target.value as Difficulty)}
                      >
                        {difficulties.map((d) => (
                          <option key={d} value={d}>
                            {d}
                          </option>
                        ))}
                      </select>
                    </label>
                  ) : null}
                  <button
                    type="button"
                    aria-pressed={topic.followed}
                    disabled={busy === topic.id}
                    onClick={() => void setFollow(topic, !topic.followed)}
                    className={`${buttonClass(topic.followed ? "secondary" : "primary", "sm")} w-24`}
                  >
                    {topic.followed ? "Following" : "Follow"}
                    <span className="sr-only"> {topic.name}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </div>
  );
}
