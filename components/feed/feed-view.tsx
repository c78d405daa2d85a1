"use client";

import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import { DifficultyBadge } from "@/components/lessons/difficulty-badge";
import { LessonCard } from "@/components/lessons/lesson-card";
import { lessonExcerpt } from "@/components/lessons/lesson-excerpt";
import { ReportLesson } from "@/components/reports/report-dialog";
import { buttonClass } from "@/components/ui/button-styles";
import { apiFetch, describeError } from "@/lib/ui/api-client";
import { feedResponse, feedSeenResponse, type Feed, type FeedItem } from "@/lib/contracts";
import { requestTopUp } from "@/lib/ui/top-up";
import { FeedSkeleton } from "./feed-skeleton";

type TopUp =
  | { state: "idle" }
  | { state: "running" }
  | { state: "done"; added: number }
  | { state: "slow" }
  | { state: "error"; message: string };

/** Pending lessons per followed topic, counted from what is on screen. */
function pendingByTopic(feed: Feed, items: FeedItem[]): Map<string, number> {
  const counts = new Map(feed.topics.map((t) => [t.topicId, 0]));
  for (const item of items) counts.set(item.lesson.topicId, (counts.get(item.lesson.topicId) ?? 0) + 1);
  return counts;
}

function isLow(feed: Feed, items: FeedItem[]): boolean {
  return [...pendingByTopic(feed, items).values()].some((n) => n <= 1);
}

// The For You feed: one lesson in focus (open, mark seen, next) and the rest queued below.
// When a followed topic has one or no lessons left, it asks the server to top up in the background.
export function FeedView({ initial }: { initial: Feed }) {
  const [feed, setFeed] = useState<Feed>(initial);
  const [items, setItems] = useState<FeedItem[]>(initial.items);
  // Lessons reported from an "Up next" card: the card thanks the learner in place, the lesson never comes up again.
  const [reported, setReported] = useState<ReadonlySet<string>>(new Set());
  const [notice, setNotice] = useState<string | null>(null);
  const [cursor, setCursor] = useState(0);
  const [topUp, setTopUp] = useState<TopUp>({ state: "idle" });
  const [error, setError] = useState<string | null>(null);
  const running = useRef(false);
  // Aborted when the feed goes away, so a top-up still being polled stops with it.
  const alive = useRef<AbortController | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    alive.current = controller;
    return () => controller.abort();
  }, []);
  const seen = useRef(new Set<string>());
  const known = useRef(new Set(initial.items.map((i) => i.lessonId)));

  const topUpNow = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    setTopUp({ state: "running" });
    const signal = alive.current?.signal;
    try {
      // The server writes new lessons in a background job; this waits for it (bounded) and then re-reads the feed.
      const { outcome } = await requestTopUp({ signal });
      const fresh = await apiFetch("/api/fyp", feedResponse, { signal });
      // Counted here, not inside the state updater: React may run updaters later, during render.
      const extra = fresh.items.filter((i) => !known.current.has(i.lessonId) && !seen.current.has(i.lessonId));
      for (const i of extra) known.current.add(i.lessonId);
      setItems((current) => [...current, ...extra.filter((e) => !current.some((c) => c.lessonId === e.lessonId))]);
      setFeed(fresh);
      if (outcome === "failed" && extra.length === 0) setTopUp({ state: "error", message: "the lesson writer failed; it will try again on its own shortly." });
      else if (outcome === "timeout" && extra.length === 0) setTopUp({ state: "slow" });
      else setTopUp({ state: "done", added: extra.length });
    } catch (e) {
      if (signal?.aborted) return;
      setTopUp({ state: "error", message: describeError(e) });
    } finally {
      running.current = false;
    }
  }, []);

  // A feed that arrives already low is topped up straight away.
  useEffect(() => {
    if (initial.topics.length > 0 && isLow(initial, initial.items)) {
      const t = setTimeout(() => void topUpNow(), 0);
      return () => clearTimeout(t);
    }
  }, [initial, topUpNow]);

  function reportedFromCard(lessonId: string) {
    seen.current.add(lessonId);
    setReported((r) => new Set(r).add(lessonId));
  }

  function reportedCurrent(item: FeedItem) {
    seen.current.add(item.lessonId);
    const remaining = items.filter((i) => i.lessonId !== item.lessonId);
    setItems(remaining);
    setCursor((c) => (remaining.length === 0 ? 0 : Math.min(c, remaining.length - 1)));
    setNotice(`Thanks — “${item.lesson.title}” is reported and gone from your feed.`);
  }

  async function markSeen(item: FeedItem) {
    setError(null);
    seen.current.add(item.lessonId);
    const remaining = items.filter((i) => i.lessonId !== item.lessonId);
    setItems(remaining);
    setCursor((c) => (remaining.length === 0 ? 0 : Math.min(c, remaining.length - 1)));
    try {
      await apiFetch("/api/fyp/seen", feedSeenResponse, { method: "POST", body: { lessonId: item.lessonId } });
    } catch (e) {
      seen.current.delete(item.lessonId);
      setItems((current) => [item, ...current]);
      setError(describeError(e));
      return;
    }
    if (isLow(feed, remaining)) void topUpNow();
  }

  if (feed.topics.length === 0) {
    return (
      <EmptyState title="Follow a few topics to start your feed" body="Pick subjects you’re curious about and we’ll keep a few short lessons waiting for you.">
        <Link href="/topics" className={buttonClass("primary")}>
          Choose topics
        </Link>
      </EmptyState>
    );
  }

  const live = items.filter((i) => !reported.has(i.lessonId));
  const current = live[Math.min(cursor, Math.max(0, live.length - 1))];
  const rest = items.filter((i) => i !== current);
  const counts = pendingByTopic(feed, live);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-2" aria-label="Pending lessons by topic">
        {feed.topics.map((t) => (
          <span key={t.topicId} className="inline-flex items-center gap-1.5 rounded-full border border-slate-200 bg-white px-3 py-1 text-xs text-slate-700">
            <span className="font-medium text-slate-900">{t.topicName}</span>
            <span aria-hidden>·</span>
            <span data-testid={`pending-${t.topicId}`}>{counts.get(t.topicId) ?? 0} waiting</span>
          </span>
        ))}
      </div>

      <p role="status" aria-live="polite" className="min-h-5 text-sm text-slate-600" data-testid="topup-status" data-state={topUp.state}>
        {topUp.state === "running"
          ? "Topping up your feed…"
          : topUp.state === "done"
            ? topUp.added > 0
              ? `Added ${topUp.added} new lesson${topUp.added === 1 ? "" : "s"} to your feed.`
              : "Your feed is topped up."
            : topUp.state === "slow"
              ? "New lessons are taking longer than usual. They’ll appear here when you come back."
              : topUp.state === "error"
                ? `Couldn’t top up your feed: ${topUp.message}`
                : ""}
      </p>
      {notice ? (
        <p role="status" className="text-sm text-slate-600" data-testid="feed-notice">
          {notice}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}

      {current ? (
        <article className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm sm:p-7" aria-labelledby="current-lesson-title" data-testid="current-lesson" data-lesson-id={current.lessonId}>
          <div className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
            <span>
              {current.lesson.subjectName} · {current.lesson.topicName}
            </span>
            <DifficultyBadge difficulty={current.lesson.difficulty} />
            <span className="ml-auto text-xs">
              {Math.min(cursor, items.length - 1) + 1} of {items.length}
            </span>
          </div>
          <h2 id="current-lesson-title" className="mt-3 text-xl font-semibold leading-snug tracking-tight text-slate-900 sm:text-2xl">
            {current.lesson.title}
          </h2>
          <p className="mt-3 max-w-prose leading-relaxed text-slate-700">{lessonExcerpt(current.lesson.content.content, 280)}</p>
          {current.lesson.content.keyTerms.length > 0 ? (
            <ul className="mt-4 flex flex-wrap gap-1.5" aria-label="Key terms">
              {current.lesson.content.keyTerms.slice(0, 5).map((k) => (
                <li key={k.term} className="rounded-md bg-brand-50 px-2 py-0.5 text-xs font-medium text-brand-700">
                  {k.term}
                </li>
              ))}
            </ul>
          ) : null}
          <div className="mt-6 flex flex-wrap gap-2">
            <Link href={`/lessons/${current.lessonId}`} className={buttonClass("primary")}>
              Open lesson
            </Link>
            <button type="button" className={buttonClass("secondary")} onClick={() => void markSeen(current)}>
              Mark seen
            </button>
            <button
              type="button"
              className={buttonClass("ghost")}
              disabled={live.length < 2}
              onClick={() => setCursor((c) => (c + 1) % live.length)}
            >
              Next
              <span aria-hidden>→</span>
            </button>
            <span className="ml-auto">
              {/* Keyed by lesson: the next lesson in focus gets a blank form, not the last report's reason and note. */}
              <ReportLesson key={current.lessonId} lessonId={current.lessonId} lessonTitle={current.lesson.title} onReported={() => reportedCurrent(current)} />
            </span>
          </div>
        </article>
      ) : topUp.state === "running" ? (
        <FeedSkeleton label="Writing new lessons for you…" />
      ) : (
        <EmptyState title="You’re all caught up" body="Every lesson in your feed is marked seen. Fresh ones are written on demand.">
          <button type="button" className={buttonClass("primary")} onClick={() => void topUpNow()}>
            Get more lessons
          </button>
        </EmptyState>
      )}

      {rest.length > 0 ? (
        <section aria-labelledby="up-next">
          <h2 id="up-next" className="text-sm font-semibold uppercase tracking-wide text-slate-600">
            Up next
          </h2>
          <ul className="mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {rest.map((item) => (
              <li key={item.lessonId}>
                <LessonCard
                  lesson={item.lesson}
                  onReported={reportedFromCard}
                  actions={
                    <button type="button" className={buttonClass("secondary", "sm")} onClick={() => void markSeen(item)}>
                      Mark seen<span className="sr-only">: {item.lesson.title}</span>
                    </button>
                  }
                />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

function EmptyState({ title, body, children }: { title: string; body: string; children: React.ReactNode }) {
  return (
    <div className="rounded-2xl border border-dashed border-slate-300 bg-white px-6 py-12 text-center">
      <h2 className="text-lg font-semibold text-slate-900">{title}</h2>
      <p className="mx-auto mt-2 max-w-md text-sm text-slate-600">{body}</p>
      <div className="mt-6 flex justify-center">{children}</div>
    </div>
  );
}
