import Link from "next/link";
import { Suspense } from "react";
import { FeedSkeleton } from "@/components/feed/feed-skeleton";
import { FeedView } from "@/components/feed/feed-view";
import { buttonClass } from "@/components/ui/button-styles";
import { getPageSession, type PageSession } from "@/lib/ui/server-session";

// The For You feed for learners; a welcome with a sign-in call to action for visitors.
export default async function HomePage() {
  const session = await getPageSession();
  if (!session) return <Welcome />;
  return (
    <section className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold tracking-tight sm:text-3xl">For You</h1>
        <p className="mt-1 max-w-prose text-slate-600">Short lessons on the topics you follow, kept topped up in the background.</p>
      </header>
      <Suspense fallback={<FeedSkeleton />}>
        <FeedLoader session={session} />
      </Suspense>
    </section>
  );
}

async function FeedLoader({ session }: { session: PageSession }) {
  const feed = await session.db.rpc("get_feed");
  return <FeedView initial={feed} />;
}

function Welcome() {
  const points = [
    { title: "Lessons in two minutes", body: "About a hundred words and three quick questions, on the topics you choose." },
    { title: "A feed that refills itself", body: "Mark a lesson seen and the next ones are already being written." },
    { title: "Playlists that grow", body: "Press “Generate similar” and watch new lessons arrive one by one." },
  ];
  return (
    <section className="py-6 sm:py-12">
      <div className="max-w-2xl">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">Micro-learning, on demand</p>
        <h1 className="mt-3 text-3xl font-bold tracking-tight text-slate-900 sm:text-5xl">Learn something real in the time it takes to make coffee.</h1>
        <p className="mt-4 text-lg leading-relaxed text-slate-600">
          Lessonloom writes short lessons with quizzes on the topics you follow, keeps your feed topped up, and grows your playlists on request.
        </p>
        <div className="mt-8 flex flex-wrap gap-3">
          <Link href="/login" className={`${buttonClass("primary")} h-11 px-6 text-base`}>
            Sign in to start learning
          </Link>
        </div>
      </div>
      <ul className="mt-12 grid gap-4 sm:grid-cols-3">
        {points.map((p) => (
          <li key={p.title} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
            <h2 className="font-semibold text-slate-900">{p.title}</h2>
            <p className="mt-1.5 text-sm leading-relaxed text-slate-600">{p.body}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
