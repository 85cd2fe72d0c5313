# One image for every process of the hub; docker-compose.yml and deploy/kubernetes pick the command per process.
# At run time: compiled JavaScript only (no TypeScript loader), production dependencies only, a numeric non-root
# user (Kubernetes' runAsNonRoot can check it), and nothing written to the root filesystem, so it runs read-only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm run build:explorer && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
# 32 MB semi-spaces (V8's default is 16): the flag npm start gives its serving processes (hub/processes.ts).
ENV NODE_OPTIONS=--max-semi-space-size=32
WORKDIR /app
# Owned by root and not writable by the user the processes run as.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json /app/supergraph.graphql ./
# The image's `node` user.
USER 1000:1000
EXPOSE 4000
# GET /health on $PORT (4000 when unset) with node: the slim image has no curl or wget.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["node", "dist/scripts/healthcheck.js"]
CMD ["node", "dist/gateway/main.js"]
