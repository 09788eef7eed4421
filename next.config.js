/** @type {import('next').NextConfig} */
module.exports = {
  reactStrictMode: true,
  // A second build (benchmark, browser tests) can live beside the developer's own.
  distDir: process.env.STAR_NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  // Minification renames classes; type-graphql and TypeORM key their metadata on class names.
  experimental: { serverMinification: false },
  serverExternalPackages: [
    "typeorm",
    "type-graphql",
    "class-validator",
    "reflect-metadata",
    "@electric-sql/pglite",
    "@electric-sql/pglite-socket",
    "pino",
    "date-holidays",
  ],
  // Open311 clients expect /open311/...; the handler is an API route.
  async rewrites() {
    return [{ source: "/open311/:path*", destination: "/api/open311/:path*" }];
  },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};
