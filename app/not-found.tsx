import Link from "next/link";
import { buttonClass } from "@/components/ui/button-styles";

export default function NotFound() {
  return (
    <section className="mx-auto max-w-md py-16 text-center">
      <p className="text-sm font-semibold text-brand-700">404</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight text-slate-900">Page not found</h1>
      <p className="mt-2 text-slate-600">There’s nothing here, or it isn’t yours to see.</p>
      <Link href="/" className={`${buttonClass("primary")} mt-6`}>
        Back to your feed
      </Link>
    </section>
  );
}
