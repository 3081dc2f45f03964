# The scorer and the `ksml` command line in one image.
#
#   docker build -t ksml .                                   # tfjs-node when its download works
#   docker build -t ksml --build-arg TFJS_NODE=false .       # WebAssembly backend only, smaller
#   docker run --rm -e KAFKA_BOOTSTRAP_SERVERS=kafka:9092 -p 8080:8080 ksml          # `ksml score`
#   docker run --rm ksml deploy --url http://ksqldb:8088 --define payments_partitions=6
#
# @tensorflow/tfjs-node is an optional dependency whose install script downloads libtensorflow.
# Where that download fails, npm drops the package and carries on; the scorer then runs on the
# WebAssembly backend (TFJS_BACKEND forces one). TFJS_NODE=false skips it on purpose.

ARG NODE_VERSION=20

# ---- build: all dependencies, compile, then drop the dev dependencies -----------------------
# The full (non-slim) image has python3, make and g++ for tfjs-node's build-from-source fallback;
# it is Debian bookworm like the runtime, so a native addon built here runs there.
FROM node:${NODE_VERSION}-bookworm AS build
ARG TFJS_NODE=true
ENV npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
WORKDIR /app

# Manifests first, so the dependency layer is rebuilt only when they change. The notebooks
# workspace is part of the lock file, so its manifest must be present for `npm ci`.
COPY package.json package-lock.json ./
COPY notebooks/package.json notebooks/
RUN if [ "$TFJS_NODE" = "true" ]; then \
      npm ci; \
    else \
      npm ci --omit=optional; \
    fi \
 && if [ -f node_modules/@tensorflow/tfjs-node/package.json ]; then \
      echo "tfjs-node: installed"; \
    else \
      echo "tfjs-node: not installed; the image uses the wasm backend"; \
    fi

COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# Then keep production dependencies only (with the same optional choice as above), drop the
# notebooks workspace link, and strip node_modules' source maps (over half of its size; nothing
# reads them at run time).
RUN npm run build \
 && if [ "$TFJS_NODE" = "true" ]; then \
      npm prune --omit=dev; \
    else \
      npm prune --omit=dev --omit=optional; \
    fi \
 && rm -f node_modules/kafka-streaming-ml-notebooks \
 && find node_modules -type f -name '*.map' -delete \
 && npm cache clean --force

# ---- runtime -----------------------------------------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
ARG SOURCE=
LABEL org.opencontainers.image.title="ksml" \
      org.opencontainers.image.description="Streaming ML on Kafka: the fraud scorer (ksml score) and the ksml command line (deploy, ingest, train, publish-model)" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.base.name="docker.io/library/node:${NODE_VERSION}-bookworm-slim"

# tini runs as PID 1: it forwards SIGTERM to node (which finishes its batch, commits and leaves
# the consumer group) and reaps zombies. Works the same under `docker run --init`.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*

ENV NODE_ENV=production \
    SCORER_HTTP_HOST=0.0.0.0 \
    SCORER_HTTP_PORT=8080 \
    npm_config_update_notifier=false
WORKDIR /app

# Application files stay owned by root (read-only to the process); /models is the mount point
# for model bundles, owned by the runtime user so that a fresh named volume inherits uid 1000.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY sql ./sql
RUN install -d -o node -g node /models

# The node image's unprivileged user `node`, by number so that Kubernetes' runAsNonRoot can
# verify it without a runAsUser.
USER 1000:1000
EXPOSE 8080

# Liveness only (`/healthz`); readiness (`/readyz`: bundle loaded, partitions assigned, lag
# bounded) is for orchestrators. node rather than curl: the slim image has no curl.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.SCORER_HTTP_PORT||8080)+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# Paths are relative to /app: `ksml deploy` reads ./sql by default.
ENTRYPOINT ["/usr/bin/tini", "--", "node", "dist/cli/index.js"]
CMD ["score"]
