import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { AddToPlaylist } from "@/components/lessons/add-to-playlist";
import { DifficultyBadge } from "@/components/lessons/difficulty-badge";
import { LessonQuiz } from "@/components/lessons/lesson-quiz";
import { ReportLessonPanel } from "@/components/reports/report-lesson-panel";
import { uuidParam } from "@/lib/contracts";
import { DbError } from "@/lib/db/port";
import { getPageSession } from "@/lib/ui/server-session";

export const metadata: Metadata = { title: "Lesson" };

// A lesson to read: text, key terms, the quiz, "add to playlist" and "report".
export default async function LessonPage({ params }: { params: Promise<{ id: string }> }) {
  const [{ id }, session] = await Promise.all([params, getPageSession()]);
  if (!session) redirect(`/login?next=/lessons/${encodeURIComponent(id)}`);
  if (!uuidParam.safeParse(id).success) notFound();
  const [lesson, playlists] = await Promise.all([
    session.db.rpc("get_lesson", { p_lesson_id: id }).catch((e: unknown) => {
      if (DbError.is(e) && e.code === "P0001") return null;
      throw e;
    }),
    session.db.rpc("list_playlists"),
  ]);
  if (!lesson) notFound();
  const c = lesson.content;
  const paragraphs = c.content.split(/\n{2,}/).filter(Boolean);

  return (
    // Phone: lesson, key terms, quiz, add to playlist. Desktop: lesson and quiz on the left, the rest beside.
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem] lg:items-start">
      <article className="min-w-0 rounded-2xl border border-slate-200 bg-white p-5 shadow-sm sm:p-8 lg:col-start-1 lg:row-start-1">
        <div className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
          <span>
            {lesson.subjectName} · {lesson.topicName}
          </span>
          <DifficultyBadge difficulty={lesson.difficulty} />
          {lesson.source === "generated" && lesson.model ? <span className="text-xs">Written by {lesson.model}</span> : null}
        </div>
        <h1 className="mt-3 text-2xl font-bold leading-tight tracking-tight text-slate-900 sm:text-3xl">{lesson.title}</h1>
        <div className="mt-4 max-w-prose space-y-4 text-[1.05rem] leading-relaxed text-slate-800">
          {paragraphs.map((p, i) => (
            <p key={i}>{p}</p>
          ))}
        </div>
      </article>

      {c.keyTerms.length > 0 ? (
        <section aria-labelledby="terms-heading" className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5 lg:col-start-2 lg:row-start-1">
          <h2 id="terms-heading" className="text-base font-semibold text-slate-900">
            Key terms
          </h2>
          <dl className="mt-3 space-y-3">
            {c.keyTerms.map((k) => (
              <div key={k.term}>
                <dt className="text-sm font-semibold text-brand-700">{k.term}</dt>
                <dd className="text-sm leading-relaxed text-slate-700">{k.definition}</dd>
              </div>
            ))}
          </dl>
        </section>
      ) : null}

      <div className="min-w-0 lg:col-start-1 lg:row-start-2">
        <LessonQuiz questions={c.questions} />
      </div>

      <aside className="space-y-4 lg:col-start-2 lg:row-start-2">
        <AddToPlaylist lessonId={lesson.id} playlists={playlists.playlists} />
        <ReportLessonPanel lessonId={lesson.id} lessonTitle={lesson.title} />
        <Link href="/" className="block rounded text-center text-sm font-medium text-brand-700 hover:underline">
          ← Back to your feed
        </Link>
      </aside>
    </div>
  );
}
