// @ts-check

// Security headers on every response (docs/security.md). The CSP keeps 'unsafe-inline' for scripts and
// styles because Next's App Router inlines its bootstrap and flight data without nonces unless every
// page renders dynamically; frame-ancestors 'none' (no framing), object-src 'none', base-uri and
// form-action 'self' still apply. Development adds 'unsafe-eval' and ws: for React Refresh and HMR.
function contentSecurityPolicy(env = process.env) {
  const dev = env.NODE_ENV !== "production";
  const connect = ["'self'"];
  if (env.NEXT_PUBLIC_SUPABASE_URL) {
    const supabase = new URL(env.NEXT_PUBLIC_SUPABASE_URL);
    connect.push(supabase.origin, `${supabase.protocol === "https:" ? "wss:" : "ws:"}//${supabase.host}`);
  }
  if (dev) connect.push("ws:");
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect.join(" ")}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
}

/** @param {NodeJS.ProcessEnv} [env] */
function securityHeaders(env = process.env) {
  return [
    { key: "Content-Security-Policy", value: contentSecurityPolicy(env) },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  ];
}

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WASM and data files and the postgres driver opens sockets: keep both out of the bundle.
  serverExternalPackages: ["@electric-sql/pglite", "postgres"],
  poweredByHeader: false,
  reactStrictMode: true,
  // `next dev` serves its dev resources only to localhost; let the loopback address in too, so the app
  // opened at http://127.0.0.1:3000 hydrates instead of rendering buttons that do nothing.
  allowedDevOrigins: ["127.0.0.1"],
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders() }];
  },
};

module.exports = nextConfig;
module.exports.securityHeaders = securityHeaders;
