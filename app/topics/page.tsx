import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { TopicCatalog } from "@/components/topics/topic-catalog";
import { getPageSession } from "@/lib/ui/server-session";

export const metadata: Metadata = { title: "Topics" };

// Follow and unfollow topics, grouped by subject.
export default async function TopicsPage() {
  const session = await getPageSession();
  if (!session) redirect("/login?next=/topics");
  const catalog = await session.db.rpc("list_catalog");
  return (
    <section className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold tracking-tight sm:text-3xl">Topics</h1>
        <p className="mt-1 max-w-prose text-slate-600">Follow what you want to learn. Your feed keeps a couple of lessons waiting for each topic you follow.</p>
      </header>
      <TopicCatalog initial={catalog} />
    </section>
  );
}
