// Next.js configuration: native and wasm database/runtime packages stay outside the server bundle.
import { readFileSync } from "node:fs";
import createNextIntlPlugin from "next-intl/plugin";

// next-intl: each request's language and messages come from lib/i18n/request.ts.
const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

// The browser loads Monaco from /monaco/<version>/vs (app/monaco): the version in the path lets those files be cached for good.
const monacoVersion = JSON.parse(readFileSync(new URL("./node_modules/monaco-editor/package.json", import.meta.url), "utf8")).version;

/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ["@electric-sql/pglite", "pg", "onnxruntime-node", "@duckdb/node-api", "@duckdb/node-bindings", "pdfkit", "@aws-sdk/client-s3", "@aws-sdk/lib-storage"],
  poweredByHeader: false,
  // `npm test` type-checks the whole project (tsc, its first step) before it builds; checking again inside
  // `next build` cost CI time for nothing, and a newcomer's first `npm start` waits for the build.
  typescript: { ignoreBuildErrors: true },
  reactStrictMode: true,
  experimental: {
    // Turbopack writes its build cache (~165 MB in .next/cache) for the next build to reuse. A CI run builds once on a
    // fresh clone, so it would only pay for writing it: clean builds alternating on/off/on/off (2026-12-07, load 23 -> 8)
    // took 104, 78, 99, 77 CPU-s (bench/README.md, "The test suite's time"). Local builds keep it.
    turbopackFileSystemCacheForBuild: !process.env.CI,
  },
  env: { NEXT_PUBLIC_MONACO_VERSION: monacoVersion },
  // The same headers proxy.ts sets on API answers, for the upload routes it lets through untouched.
  async headers() {
    const apiHeaders = [
      { key: "X-Content-Type-Options", value: "nosniff" },
      { key: "X-Frame-Options", value: "DENY" },
      { key: "Referrer-Policy", value: "same-origin" },
    ];
    // Routes that bypass proxy.ts (see its matcher) get their security headers here.
    const uploads = ["/api/datasets/upload", "/api/models/upload", "/api/2.0/mlflow-artifacts/:path*", "/ajax-api/2.0/mlflow-artifacts/:path*", "/api/serve/:path*", "/v2/:path*"].map((source) => ({ source, headers: apiHeaders }));
    // The playground is cross-origin isolated so onnxruntime-web may use SharedArrayBuffer and run on several threads.
    // Its scoring worker is a /_next/static chunk: a dedicated worker of an isolated page needs a compatible embedder
    // policy on its own script, which is harmless on every other static file (all same-origin).
    const isolated = [
      { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
      { key: "Cross-Origin-Embedder-Policy", value: "require-corp" },
    ];
    const playground = [
      { source: "/models/:name/versions/:version/playground", headers: isolated },
      { source: "/_next/static/:path*", headers: [{ key: "Cross-Origin-Embedder-Policy", value: "require-corp" }, { key: "Cross-Origin-Resource-Policy", value: "same-origin" }] },
    ];
    return [...uploads, ...playground];
  },
};

export default withNextIntl(nextConfig);
