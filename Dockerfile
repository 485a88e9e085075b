# The mcptrail collector with its dashboard. From the repository's root:
#   docker build -t mcptrail-collector .
#   docker run -d -p 4400:4400 -v mcptrail-data:/data mcptrail-collector
# The first start prints the keys of a `default` project: `docker logs <container>`.

# Build: the npm workspaces as in development, then the packages as npm would publish
# them, installed with their production dependencies only.
FROM node:20-bookworm-slim AS build
# better-sqlite3 compiles its native module when no prebuilt binary can be downloaded.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
COPY packages/protocol/package.json packages/protocol/
COPY packages/sdk/package.json packages/sdk/
COPY packages/collector/package.json packages/collector/
COPY packages/dashboard/package.json packages/dashboard/
# No scripts: the root's `prepare` builds everything and installs the test tools; only the collector's part is built below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json ./
COPY packages/protocol packages/protocol
COPY packages/collector packages/collector
COPY packages/dashboard packages/dashboard
RUN npx tsc -b packages/protocol packages/collector \
 && npm run build -w @mcptrail/dashboard \
 && mkdir /tmp/packs \
 && npm pack -w packages/protocol -w packages/dashboard -w packages/collector --pack-destination /tmp/packs
WORKDIR /app
RUN echo '{"name": "mcptrail-collector-image", "private": true}' > package.json \
 && npm install --omit=dev --no-audit --no-fund /tmp/packs/*.tgz \
 && npm cache clean --force

# Run: Node and the installed packages, as the unprivileged `node` user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PATH=/app/node_modules/.bin:$PATH \
    MCPTRAIL_HOST=0.0.0.0 \
    MCPTRAIL_PORT=4400 \
    MCPTRAIL_DB=/data/mcptrail.db
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
WORKDIR /data
VOLUME /data
EXPOSE 4400
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --start-interval=2s \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.MCPTRAIL_PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["mcptrail"]
CMD ["serve"]
