# First image: one stage, SQLite data on a volume. Migrations are applied by the app at start.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# better-sqlite3 builds from source when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
# The install step generates the Prisma clients from prisma/ with scripts/.
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund
COPY . .
RUN mkdir -p data && chown -R node:node data
USER node
VOLUME /app/data
EXPOSE 3000
CMD ["npm", "start"]
