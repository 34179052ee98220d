# syntax=docker/dockerfile:1.7
# Neural Link relay: docker build -f relay.Dockerfile -t nlink-relay .
#   docker run -p 8787:8787 -v nlink-relay:/data nlink-relay                      (embedded PGlite in /data)
#   docker run -p 8787:8787 -e DATABASE_URL=postgres://user:pw@db:5432/nlink nlink-relay
# Configured by environment only (NLINK_RELAY_*; see docs/relay.md or `--help`).

# ---- build: install the workspace, build the phone app, bundle the relay ----
FROM node:20-bookworm-slim AS build
WORKDIR /src
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY relay/package.json relay/
COPY mobile/package.json mobile/
COPY desktop/package.json desktop/
# Only the relay's and the phone app's dependencies; no install scripts (the desktop's native modules are not needed).
RUN npm ci --include-workspace-root -w @neural-link/shared -w @neural-link/relay -w @neural-link/mobile --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json ./
COPY shared shared
COPY relay relay
COPY mobile mobile
# The phone app, served by the relay at /app/.
RUN npm run build -w @neural-link/mobile
# One ESM file for the relay. PGlite stays outside the bundle: it loads its WASM and data files
# from beside its own module. The createRequire banner serves the CommonJS dependencies (pg, pino).
RUN node_modules/.bin/esbuild relay/src/main.ts --bundle --platform=node --format=esm --target=node20 \
      --outfile=out/relay.mjs --legal-comments=none \
      --external:@electric-sql/pglite --external:pg-native --external:bufferutil --external:utf-8-validate \
      "--banner:js=import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" \
 && mkdir -p out/node_modules/@electric-sql \
 && cp -r node_modules/@electric-sql/pglite out/node_modules/@electric-sql/pglite \
 && cp -r mobile/dist out/app

# ---- runtime: node, one bundle, PGlite, the app; nothing else ----
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    NLINK_RELAY_HOST=0.0.0.0 \
    NLINK_RELAY_PORT=8787 \
    NLINK_RELAY_DB=/data \
    NLINK_RELAY_APP_DIR=/srv/relay/app \
    NLINK_RELAY_LOG_LEVEL=info
WORKDIR /srv/relay
COPY --from=build --chown=root:root /src/out/ /srv/relay/
# The data directory belongs to the unprivileged `node` user of the base image; the code does not.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8787
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.NLINK_RELAY_PORT||8787)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM drains: every client gets RECONNECT (op 7), then the process exits 0.
CMD ["node", "relay.mjs"]
