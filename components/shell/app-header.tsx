import Link from "next/link";
import type { PageViewer } from "@/lib/ui/server-session";
import { buttonClass } from "@/components/ui/button-styles";
import { NavLinks } from "./nav-links";
import { SignOutButton } from "./sign-out-button";

// The header every page shares: brand, primary navigation and the sign-in state.
// Admin appears only for admins; the admin page checks again on the server.
export function AppHeader({ viewer }: { viewer: PageViewer | null }) {
  const links = viewer
    ? [
        { href: "/", label: "Feed" },
        { href: "/topics", label: "Topics" },
        { href: "/playlists", label: "Playlists" },
        ...(viewer.isAdmin ? [{ href: "/admin/usage", label: "Admin" }] : []),
      ]
    : [{ href: "/", label: "Feed" }];

  return (
    <header className="sticky top-0 z-40 border-b border-slate-200 bg-white/95 backdrop-blur">
      <div className="mx-auto flex w-full max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2.5 sm:flex-nowrap sm:px-6">
        <Link href="/" className="flex shrink-0 items-center gap-2 rounded-md font-semibold tracking-tight text-slate-900">
          <span aria-hidden className="grid h-8 w-8 place-items-center rounded-lg bg-brand-600 text-sm font-bold text-white shadow-sm">
            L
          </span>
          <span className="sr-only text-[1.05rem] min-[420px]:not-sr-only">Lessonloom</span>
        </Link>
        <div className="order-last w-full overflow-x-auto sm:order-none sm:w-auto">
          <NavLinks links={links} />
        </div>
        <div className="ml-auto flex min-w-0 items-center gap-2 text-sm">
          {viewer ? (
            <>
              <span className="max-w-[12rem] truncate text-xs text-slate-600 sm:max-w-[14rem] sm:text-sm" title={viewer.email} data-testid="viewer-email">
                {viewer.email}
              </span>
              <SignOutButton />
            </>
          ) : (
            <Link href="/login" className={buttonClass("primary", "sm")}>
              Sign in
            </Link>
          )}
        </div>
      </div>
    </header>
  );
}
