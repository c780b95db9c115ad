# syntax=docker/dockerfile:1
# The GitHub App as a container: `docker build -t s3-endpoint-guard .` then see docs/deploy.md.
#
# Two stages: the build stage has the dev dependencies (TypeScript) and compiles src/ to dist/;
# the runtime stage has only the production dependencies and dist/, and runs as a non-root user.
ARG NODE_VERSION=20.20

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are copied, and the HCL grammar's
# native-binding install step is not needed (the engine loads its WebAssembly build).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
# HOST: Probot listens on localhost by default, which is unreachable from outside a container.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY app.yml ./
# Read at runtime: `/s3-guard explain` replies with a rule's page from docs/rules/ (and
# docs/suppressions.md for `invalid-suppression`), resolved from dist/ (src/github/commands/replies.ts).
# docs/commands.md is the reference the `help` reply is kept identical to.
COPY docs/rules ./docs/rules
COPY docs/suppressions.md docs/commands.md ./docs/
# The image's unprivileged `node` user; the app writes only to its private temp folders.
USER node
EXPOSE 3000
# Probot answers GET /ping with PONG. (No curl in the slim image: Node's fetch does the job.)
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/ping').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# `probot run` directly rather than `npm start`: signals reach Node, not npm.
CMD ["node_modules/.bin/probot", "run", "./dist/app/index.js"]
