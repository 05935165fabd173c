# syntax=docker/dockerfile:1

# --- build: compile TypeScript, then keep only production dependencies ------------------------------
FROM node:20-bookworm-slim AS builder
WORKDIR /app

# better-sqlite3 compiles its native addon when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*

# Manifests first, so the dependency layer is reused until they change.
COPY package.json package-lock.json ./
RUN npm ci

# Only the sources the build reads: the host's node_modules, dist and data stay out of the image.
COPY tsconfig.json tsconfig.base.json tsconfig.build.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
COPY bench ./bench
RUN npm run build \
 && npm prune --omit=dev

# --- runtime ---------------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production

COPY --from=builder /app/package.json ./package.json
COPY --from=builder /app/node_modules ./node_modules
COPY --from=builder /app/dist ./dist
# Programs and administrative units are configuration, read at start-up (LEDGER_CONFIG_DIR).
COPY config ./config
# A writable place for an embedded SQLite store, when the app runs without EventStoreDB.
RUN mkdir -p /app/data && chown node:node /app/data

USER node
EXPOSE 3000
CMD ["node", "dist/apps/ledger-api/src/main.js"]
