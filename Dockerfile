# wg-siem on Node 24 LTS. Build: docker build -t wg-siem .   (docker-compose.yml does this for you)
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# The `node` devDependency only pins the runtime for development; the image already is Node 24.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY mappings ./mappings
COPY alerts ./alerts
USER node
ENTRYPOINT ["/app/bin/wg-siem"]
CMD ["doctor"]
