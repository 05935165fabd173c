# syntax=docker/dockerfile:1

# Node 22 LTS, pinned to its patch release so that a rebuild months later runs the same Node. The
# project itself also runs and tests on Node 20.19+ (package.json "engines"), as development machines do.
# A registry mirror or a newer patch: docker build --build-arg NODE_IMAGE=… .
ARG NODE_IMAGE=node:22.23.3-bookworm-slim

# --- build: compile TypeScript, then keep only production dependencies ------------------------------
FROM ${NODE_IMAGE} AS builder
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
COPY scripts ./scripts
RUN npm run build \
 && npm prune --omit=dev

# --- runtime ---------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
# Absolute, so that the API and the `ledger` CLI find them from any working directory.
ENV NODE_ENV=production \
    LEDGER_CONFIG_DIR=/app/config \
    LEDGER_DATA_DIR=/app/data

COPY --from=builder /app/package.json ./package.json
COPY --from=builder /app/node_modules ./node_modules
COPY --from=builder /app/dist ./dist
# Programs and administrative units are configuration, read at start-up (LEDGER_CONFIG_DIR).
COPY config ./config
# A writable place for the embedded SQLite store, or, beside EventStoreDB, for the API's idempotency
# keys (docker-compose.yml mounts a volume here so that they outlive the container).
RUN mkdir -p /app/data && chown node:node /app/data
# `ledger <command>`: the compiled CLI under plain node (the image has no tsx), e.g.
# `docker compose run --rm --no-deps ledger-api ledger token --role operator --units 91`.
RUN printf '#!/bin/sh\nexec node /app/dist/apps/ledger-api/src/cli/ledger-cli.js "$@"\n' > /usr/local/bin/ledger \
 && chmod 755 /usr/local/bin/ledger

USER node
EXPOSE 3000
CMD ["node", "dist/apps/ledger-api/src/main.js"]
