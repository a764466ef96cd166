# Sky Eye production image: one program, role chosen by SKYEYE_ROLE (api | worker | all).
# syntax=docker/dockerfile:1

# --- build: all dependencies, typecheck, console and server bundles -------------------------
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run typecheck && npm run build:web && npm run build:server

# --- runtime dependencies only ---------------------------------------------------------------
# The image uses Debian's ffmpeg (runtime stage), so the optional npm-packaged ffmpeg/ffprobe are
# dropped. Not --omit=optional: that also drops @esbuild/linux-x64, which tsx (the CLI tools, e.g.
# `npm run verify`) needs, and esbuild's postinstall would then fetch it from the network.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/@ffmpeg-installer node_modules/@ffprobe-installer

# --- runtime ---------------------------------------------------------------------------------
FROM node:24-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg tini ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# NODE_OPTIONS and MALLOC_MMAP_THRESHOLD_: less idle memory (see scripts/start.sh).
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=16 \
    MALLOC_MMAP_THRESHOLD_=131072 \
    SKYEYE_HTTP_HOST=0.0.0.0 \
    SKYEYE_DATA_DIR=/var/lib/skyeye \
    SKYEYE_SIM_CAMERAS=0
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/web/dist ./web/dist
COPY --from=build /app/dist ./dist
COPY package.json tsconfig.json ./
COPY common ./common
COPY config ./config
# server/: the PGlite thread and the migrations are read from here at run time, and the CLI tools run from source.
COPY server ./server
COPY workers ./workers
COPY protocol ./protocol
# server/demo imports the simulator (started only when SKYEYE_SIM_CAMERAS > 0).
COPY sim ./sim
COPY types ./types
RUN mkdir -p /var/lib/skyeye && chown node:node /var/lib/skyeye
USER node
EXPOSE 8080 1935
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s CMD node -e "fetch('http://127.0.0.1:'+(process.env.SKYEYE_HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/server/main.js"]
