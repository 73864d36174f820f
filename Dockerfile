# syntax=docker/dockerfile:1
# Warren: multi-stage image. Node 20 LTS (the version the suite runs on), runs as the unprivileged `node` user, applies pending
# migrations at start (dist/main.js, bundled from server/main.ts), SQLite data on the /app/data volume by default.

# ---- build: full install (generates the Prisma clients), type-check, bundle dist/main.js ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY scripts ./scripts
# postinstall = `tsx scripts/db-generate.ts`: both Prisma clients into server/db/generated/.
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run typecheck && npm run build

# ---- runtime: production dependencies only, the generated clients copied from the build ----
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    PORT=3000 \
    DATABASE_URL=file:./data/warren.db
COPY package.json package-lock.json ./
# --ignore-scripts: the clients come from the build stage (no Prisma engine download here); only
# better-sqlite3's native module is built, with a compiler that leaves in the same layer.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
 && npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3 \
 && npm cache clean --force \
 && apt-get purge -y python3 make g++ && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*
COPY --from=build /app/server/db/generated ./server/db/generated
# The server itself is the bundle; the sources stay for the npm scripts (backup, thesis, reconcile…).
COPY --from=build /app/dist ./dist
COPY server ./server
COPY views ./views
COPY emails ./emails
COPY public ./public
COPY prisma ./prisma
COPY scripts ./scripts
COPY tsconfig.json ./
RUN mkdir -p data && chown node:node data
USER node
VOLUME /app/data
EXPOSE 3000
# Liveness only (/healthz); orchestrators that route traffic should also probe /readyz.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself as PID 1 (not npm), so SIGTERM reaches the graceful drain in server/main.ts.
STOPSIGNAL SIGTERM
# The same command as `npm start` (package.json, which explains the flags in README.md).
CMD ["node", "--liftoff-only", "--heap-growing-percent=25", "dist/main.js"]
