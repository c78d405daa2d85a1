"use client";

// Last resort when the root layout itself fails (e.g. the database cannot be opened): no app shell here.
export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", margin: 0, padding: "4rem 1rem", textAlign: "center", color: "#0f172a" }}>
        <h1 style={{ fontSize: "1.5rem" }}>Lessonloom is having trouble</h1>
        <p style={{ color: "#475569" }}>Something went wrong on our side. Please try again in a moment.</p>
        <button type="button" onClick={reset} style={{ marginTop: "1.5rem", padding: "0.6rem 1.2rem", borderRadius: 8, border: 0, background: "#1f57d0", color: "#fff", fontSize: "1rem" }}>
          Try again
        </button>
      </body>
    </html>
  );
}
