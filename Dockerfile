# syntax=docker/dockerfile:1
# ModelOps Studio as one image for every role of the team topology (compose.yaml): the web tier
# (scripts/server.mjs), the job worker (`npm run worker`) and the serving replicas (`npm run serve`); the command
# picks the role. Two stages: the first installs everything and builds, the second keeps only what runs.

# --- build: all dependencies (dev ones included: next build, TypeScript), then the production bundle -----------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
# .npmrc first: ignore-scripts, so no dependency runs code or downloads anything during npm ci (as on a laptop).
COPY package.json package-lock.json .npmrc ./
RUN npm ci
COPY . .
RUN npx next build \
 # Drop dev dependencies (TypeScript, ESLint, Vitest, Playwright, drizzle-kit) from what the runtime stage copies.
 # tsx stays: the worker and the serving process run TypeScript through it.
 && npm prune --omit=dev \
 # Next.js's build cache (webpack/turbopack) is not read at run time.
 && rm -rf .next/cache

# --- runtime: no compilers, no package caches, no sources the server does not read ------------------------------------
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    STUDIO_SERVING_HOST=0.0.0.0 \
    STUDIO_DATA_DIR=/data \
    # `npm run worker` as the unprivileged user: npm's log and cache go to /tmp, not the read-only home.
    NPM_CONFIG_CACHE=/tmp/.npm \
    NPM_CONFIG_UPDATE_NOTIFIER=false
# A fixed, unprivileged account: the studio never needs root (the embedded PostgreSQL is not used in a team:
# DATABASE_URL names the server). /data holds only the local read cache when artifacts live in S3.
RUN groupadd --system --gid 10001 studio \
 && useradd --system --uid 10001 --gid studio --home-dir /app --shell /usr/sbin/nologin studio \
 && mkdir -p /data && chown studio:studio /data
COPY --from=build --chown=root:root /app/package.json /app/package-lock.json /app/.npmrc /app/next.config.js /app/tsconfig.json ./
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/.next ./.next
# Read at run time: migrations (db/), the inference log's writer thread and the serving/worker sources run by tsx
# (server/, lib/, db/), the demo seed's files (fixtures/), message catalogues (messages/), the start script (scripts/).
COPY --from=build --chown=root:root /app/scripts ./scripts
COPY --from=build --chown=root:root /app/server ./server
COPY --from=build --chown=root:root /app/lib ./lib
COPY --from=build --chown=root:root /app/db ./db
COPY --from=build --chown=root:root /app/messages ./messages
COPY --from=build --chown=root:root /app/fixtures ./fixtures
COPY --from=build --chown=root:root /app/cli ./cli
# The code is root's and read-only to the studio; it writes only to /data.
USER studio
VOLUME ["/data"]
EXPOSE 3000 8081
# The web tier. The worker is `npm run worker`, a serving replica `node node_modules/tsx/dist/cli.mjs server/serving/standalone.ts`.
CMD ["node", "scripts/server.mjs"]
