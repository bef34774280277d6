# syntax=docker/dockerfile:1

# --- Build stage: production dependencies only -------------------------------
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the prestart/pretest hooks are for development checkouts.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

# --- Runtime stage -------------------------------------------------------------
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=3000
WORKDIR /app

# Node refuses to strip types under node_modules, so the app lives in /app/src.
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json package-lock.json ./
COPY --chown=node:node src ./src
COPY --chown=node:node slack-manifest.yml ./

# ffmpeg cuts the first frame of each kept clip for its share page's poster.
RUN apt-get update \
  && apt-get install -y --no-install-recommends ffmpeg \
  && rm -rf /var/lib/apt/lists/*

# The SQLite store (sqlite:///data/sora-bot.sqlite by default) and the clip library
# (/data/library, unless MEDIA_STORE_URL names object storage). The library's folder is made
# here so a volume mounted on it alone starts out owned by the bot.
RUN mkdir -p /data/library && chown -R node:node /data
VOLUME /data

USER node
EXPOSE 3000

# Needs the /healthz endpoint in the app. Slim has no curl: use Node itself.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

CMD ["node", "--optimize-for-size", "src/main.ts"]
