// Next.js configuration: native and wasm database/runtime packages stay outside the server bundle.
/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ["@electric-sql/pglite", "pg", "onnxruntime-node"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
