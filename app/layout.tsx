import type { Metadata, Viewport } from "next";
import "./globals.css";
import { AppHeader } from "@/components/shell/app-header";
import { SimulatorBanner } from "@/components/shell/simulator-banner";
import { getPageSession, lessonsAreSimulated } from "@/lib/ui/server-session";

export const metadata: Metadata = {
  title: { default: "Lessonloom", template: "%s · Lessonloom" },
  description: "Short AI-written lessons, a feed that keeps itself full, and playlists that grow on demand.",
  icons: { icon: "/favicon.svg" },
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#1f57d0" };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const session = await getPageSession();
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
        >
          Skip to content
        </a>
        <AppHeader viewer={session?.viewer ?? null} />
        {lessonsAreSimulated() ? <SimulatorBanner /> : null}
        <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 sm:px-6 sm:py-8">
          {children}
        </main>
        <footer className="border-t border-slate-200 py-6 text-center text-xs text-slate-600">
          Lessonloom — short lessons, generated in batches.
        </footer>
      </body>
    </html>
  );
}
