# The app image for docker-compose.yml: one image, two commands (worker, API).
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY config config
COPY domain domain
COPY workflows workflows
COPY activities activities
COPY worker worker
COPY api api
# The web console, served by the API at /console (Vite is a build-time dependency only).
COPY web web
RUN npx tsc -p tsconfig.build.json && npx vite build --config web/vite.config.mts && npm prune --omit=dev

FROM node:20.20.2-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/web/dist web/dist
COPY package.json ./
# GET /rules serves the rules catalogue generated from the profiles (npm run rules:catalogue).
COPY docs/rules-catalogue.json docs/rules-catalogue.json
USER node
