# One image for both processes: web (default command) and worker (`npm run worker`).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PORT=3000
COPY --from=build /app /app
EXPOSE 3000
# Migrations are idempotent; running them on start keeps web and schema in step on every deploy.
CMD ["sh", "-c", "npm run migrate && npm start"]
