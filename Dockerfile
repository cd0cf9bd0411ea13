# syntax=docker/dockerfile:1
# smartspace images, for linux/arm64 (Raspberry Pi OS 64-bit) and linux/amd64; no step depends on
# the architecture (buildx runs every stage on the target platform):
#   docker build -t smartspace .                          services, gateway and the admin CLI
#   docker build --target node-red -t smartspace-node-red .   Node-RED with the smartspace palette
# docker-compose.yml builds both. The image runs exactly what scripts/release/stage.sh stages (the
# script the Pi installer and its test run) with SMARTSPACE_OMIT_OPTIONAL=1: the image's Node 24
# runs it, no second Node from the npm registry.
ARG NODE_VERSION=24
ARG ALPINE_VERSION=3.22

# 1. Build: compile TypeScript and the dashboard, as CI does (Debian, like the CI machines: the
#    dev dependencies' native parts and the npm `node` package are built for glibc).
FROM node:${NODE_VERSION}-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json ./
COPY scripts/native-addons.ts scripts/native-addons.ts
COPY scripts/lib/node-runtime.ts scripts/lib/node-runtime.ts
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# 2. Stage: what a site runs, installed on the runtime's own Node and C library. epoll (onoff's
#    GPIO addon) is compiled here against this Node's ABI; the runtime stage below takes its node
#    binary from this same image, so the two match. better-sqlite3 and serialport are Node-API
#    prebuilds (musl ones included).
FROM node:${NODE_VERSION}-alpine${ALPINE_VERSION} AS stage
RUN apk add --no-cache bash python3 make g++ linux-headers
WORKDIR /src
COPY --from=build /src/package.json /src/package-lock.json ./
COPY --from=build /src/dist ./dist
COPY --from=build /src/bin ./bin
COPY --from=build /src/config/node-red ./config/node-red
COPY --from=build /src/node-red ./node-red
COPY --from=build /src/scripts ./scripts
COPY --from=build /src/deploy/docker ./deploy/docker
RUN SMARTSPACE_OMIT_OPTIONAL=1 scripts/release/stage.sh /stage/node-red \
 && cp -a /stage/node-red /stage/app \
 && deploy/docker/services-only.sh /stage/app

# 3. Runtime base: Alpine with only the node binary of the stage image (no npm, yarn, corepack,
#    no compiler): ~135 MB before the app (test/bench/docker-image.ts). tini is PID 1 so that
#    SIGTERM reaches node and zombies of the gpiod tools are reaped; libgpiod's tools drive GPIO
#    through /dev/gpiochipN (the gateway's chardev backend); tzdata for the site's time zone.
#    The user is `node`, uid/gid 1000, as in the official node images.
FROM alpine:${ALPINE_VERSION} AS base
RUN apk add --no-cache libstdc++ libgcc tini libgpiod tzdata \
 && addgroup -g 1000 node \
 && adduser -u 1000 -G node -s /bin/sh -D node \
 && mkdir -p /config /data \
 && chown node:node /data
COPY --from=stage /usr/local/bin/node /usr/local/bin/node
ENV NODE_ENV=production \
    SMARTSPACE_CONFIG=/config/site.yaml
WORKDIR /app
VOLUME ["/data"]
ENTRYPOINT ["/sbin/tini", "--"]

# 4. Node-RED: the whole staged tree (Node-RED brings ~105 MB of its own).
FROM base AS node-red
COPY --from=stage /stage/node-red /app
RUN ln -s /app/bin/smartspace.js /usr/local/bin/smartspace
USER node
EXPOSE 1880
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.SMARTSPACE_NODE_RED_PORT || 1880) + '/').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "node_modules/node-red/red.js", "--settings", "config/node-red/settings.cjs"]

# 5. Services + gateway + CLI (the default target: last). Node-RED's part left out
#    (deploy/docker/services-only.sh). The healthcheck is the services' /api/health on 8080
#    (site.yaml services.http in Docker: host 0.0.0.0, port 8080; the gateway's service in
#    docker-compose.yml overrides it); node's own fetch, the image has no curl.
FROM base AS app
COPY --from=stage /stage/app /app
RUN ln -s /app/bin/smartspace.js /usr/local/bin/smartspace
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/node/services/main.js", "--config", "/config/site.yaml"]
