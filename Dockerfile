# user-events-service image, multi-stage.
#
#   deps         npm ci with the dev dependencies (TypeScript, mocha, ESLint, ...)
#   build        npm run build: src/ -> dist/
#   development  full tooling, sources and tests, plus dist/; what docker-compose runs as `api`,
#                so `docker-compose exec api npm run test` runs the whole suite in the container
#   prod-deps    npm ci --omit=dev
#   production   (default target) production dependencies, dist/ and the console's page files
#
#   docker build -t user-events-service .                          # production
#   docker build --target development -t user-events-service:dev .
#
# Node 26, the Active LTS line (Debian bookworm slim). Any tested line builds the same image, e.g.
# --build-arg NODE_VERSION=22 (package.json engines: 20.19+, 22.12+, 24, 26; docs/versions.md).
# Works with the classic builder and BuildKit alike (no BuildKit-only syntax).
ARG NODE_VERSION=26

FROM node:${NODE_VERSION}-bookworm-slim AS base
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
WORKDIR /app

# ---------------------------------------------------------------------------------------------
FROM base AS deps
RUN chown node:node /app
USER node
COPY --chown=node:node package.json package-lock.json ./
RUN npm ci && npm cache clean --force

# ---------------------------------------------------------------------------------------------
FROM deps AS build
COPY --chown=node:node tsconfig.json tsconfig.build.json ./
COPY --chown=node:node src ./src
RUN npm run build

# ---------------------------------------------------------------------------------------------
FROM deps AS development
# The fault tests run a broker of their own with scripts/kafka-local.sh (Java 17 and Maven), so
# that they can kill, pause and restart it by PID.
USER root
RUN apt-get update \
    && apt-get install -y --no-install-recommends openjdk-17-jre-headless maven \
    && rm -rf /var/lib/apt/lists/*
USER node
ENV NODE_ENV=development \
    PORT=3000
# Sources, tests, scripts, docs and every config file the lint step reads (.dockerignore keeps
# node_modules, dist, .cache, .git and .env out), then the compiled service.
COPY --chown=node:node . .
COPY --from=build --chown=node:node /app/dist ./dist
EXPOSE 3000
CMD ["node", "dist/main.js"]

# ---------------------------------------------------------------------------------------------
FROM base AS prod-deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# ---------------------------------------------------------------------------------------------
FROM base AS production
ENV NODE_ENV=production \
    PORT=3000
# Owned by root and read-only to the service, which runs as the unprivileged user `node`.
COPY package.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Served as GET /openapi.json, read from docs/ as in development.
COPY docs/openapi.yaml ./docs/openapi.yaml
# The console's page and browser modules, served as they are (GET /console).
COPY src/console ./src/console
USER node
EXPOSE 3000
# Liveness through node itself (the slim image has no curl or wget).
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1 and handles SIGTERM itself (graceful shutdown, SHUTDOWN_TIMEOUT_MS).
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
