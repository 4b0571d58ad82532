// ESLint: Next.js core-web-vitals and TypeScript rules.
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    // Links prefetch on intent, not on sight (components/ui/intent-link.tsx says why).
    files: ["app/**/*.tsx", "components/**/*.tsx"],
    ignores: ["components/ui/intent-link.tsx"],
    rules: {
      "no-restricted-imports": ["error", { paths: [{ name: "next/link", message: "Use @/components/ui/intent-link: it prefetches a page when a person shows the intent to open it, not for every visible link." }] }],
    },
  },
  { ignores: [".next/**", "node_modules/**", ".studio/**", "db/migrations/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
];

export default config;
