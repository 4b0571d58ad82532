// Next.js configuration: native and wasm database/runtime packages stay outside the server bundle.
import { readFileSync } from "node:fs";

// The browser loads Monaco from /monaco/<version>/vs (app/monaco): the version in the path lets those files be cached for good.
const monacoVersion = JSON.parse(readFileSync(new URL("./node_modules/monaco-editor/package.json", import.meta.url), "utf8")).version;

/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ["@electric-sql/pglite", "pg", "onnxruntime-node", "@duckdb/node-api", "@duckdb/node-bindings"],
  poweredByHeader: false,
  reactStrictMode: true,
  env: { NEXT_PUBLIC_MONACO_VERSION: monacoVersion },
  // The same headers proxy.ts sets on API answers, for the upload routes it lets through untouched.
  async headers() {
    const apiHeaders = [
      { key: "X-Content-Type-Options", value: "nosniff" },
      { key: "X-Frame-Options", value: "DENY" },
      { key: "Referrer-Policy", value: "same-origin" },
    ];
    return ["/api/datasets/upload", "/api/2.0/mlflow-artifacts/:path*", "/ajax-api/2.0/mlflow-artifacts/:path*"].map((source) => ({ source, headers: apiHeaders }));
  },
};

export default nextConfig;
