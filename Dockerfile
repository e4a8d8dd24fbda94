# syntax=docker/dockerfile:1
# Production image: built in one stage, run from another with production dependencies only,
# as the unprivileged `node` user. docs/DEPLOY.md explains the volume, the health check and upgrades.
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS build
# Node 22 is tested by CI (as is 20: docs/DEPLOY.md, "Node versions"). better-sqlite3 compiles from
# source when no prebuilt binary matches the Node version; node-gyp then builds against the image's own
# headers (/usr/local/include/node) instead of downloading them.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATABASE_PATH=/data/arena.db
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/db/migrations ./db/migrations
COPY --from=build /app/db/migrations-pg ./db/migrations-pg
RUN mkdir -p /data && chown node:node /data && ln -s /app/bin/arena.js /usr/local/bin/arena
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/api/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop) drains battles and flushes votes before exit: give it the time it needs.
STOPSIGNAL SIGTERM
CMD ["node", "--enable-source-maps", "dist/server/main.js"]
