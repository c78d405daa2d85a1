import type { Metadata, Viewport } from "next";
import "./globals.css";
import { AppHeader } from "@/components/shell/app-header";

export const metadata: Metadata = {
  title: { default: "Lessonloom", template: "%s · Lessonloom" },
  description: "Short AI-written lessons, a feed that keeps itself full, and playlists that grow on demand.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
        >
          Skip to content
        </a>
        <AppHeader />
        <main id="main" className="mx-auto w-full max-w-5xl px-4 py-6 sm:px-6">
          {children}
        </main>
      </body>
    </html>
  );
}
