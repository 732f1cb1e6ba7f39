# syntax=docker/dockerfile:1
# HER2/ER/PR CDS Hooks service. Build: docker build -t her2-cds .   Run: docker run -p 8080:8080 -e PUBLIC_BASE_URL=https://cds.example.org her2-cds
# test/server/production.test.ts builds the same output (npm run build) and starts it exactly as CMD below does.

# ---- build: compile TypeScript with the dev dependencies ----
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY cards ./cards
RUN npm run build

# ---- runtime: production dependencies and the compiled output only ----
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=8080
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY cds-services.json ./
COPY fixtures ./fixtures
# The preview page's HTML/CSS (its script is compiled into dist/); served only when EMBEDDED=on.
COPY public ./public
# The unprivileged user may write only the embedded database directory (DATA_DIR default ./.data/pglite);
# mount a volume there to keep it across containers, or set DATABASE_URL.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form: node runs as PID 1 and gets SIGTERM itself (server.ts drains in-flight calls, then exits).
CMD ["node", "dist/src/server.js"]
