import Link from "next/link";
import { NavLinks } from "./nav-links";

// The header every page shares: brand, primary navigation and the sign-in state.
export async function AppHeader() {
  return (
    <header className="sticky top-0 z-40 border-b border-slate-200 bg-white/90 backdrop-blur">
      <div className="mx-auto flex h-14 w-full max-w-5xl items-center gap-3 px-4 sm:gap-6 sm:px-6">
        <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight text-slate-900">
          <span aria-hidden className="grid h-7 w-7 place-items-center rounded-lg bg-brand-600 text-sm text-white">
            L
          </span>
          <span className="hidden sm:inline">Lessonloom</span>
        </Link>
        <NavLinks
          links={[
            { href: "/", label: "Feed" },
            { href: "/playlists", label: "Playlists" },
            { href: "/admin/usage", label: "Admin" },
          ]}
        />
        <div className="ml-auto text-sm">
          <Link href="/login" className="rounded-md px-3 py-1.5 font-medium text-brand-700 hover:bg-brand-50">
            Sign in
          </Link>
        </div>
      </div>
    </header>
  );
}
