// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WASM and data files and the postgres driver opens sockets: keep both out of the bundle.
  serverExternalPackages: ["@electric-sql/pglite", "postgres"],
  poweredByHeader: false,
  reactStrictMode: true,
  // `next dev` serves its dev resources only to localhost; let the loopback address in too, so the app
  // opened at http://127.0.0.1:3000 hydrates instead of rendering buttons that do nothing.
  allowedDevOrigins: ["127.0.0.1"],
};

module.exports = nextConfig;
