# One image for every service; the service is chosen by the command (see docker-compose.yml, k8s/).
FROM node:24-slim
WORKDIR /app
RUN corepack enable && corepack prepare pnpm@10.34.9 --activate
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml tsconfig.base.json ./
COPY packages ./packages
COPY services ./services
COPY scripts ./scripts
RUN pnpm install --frozen-lockfile --prod=false
USER node
ENV NODE_ENV=production
ENV NODE_OPTIONS=--disable-warning=TimeoutNegativeWarning
CMD ["node", "services/ingestion/src/main.ts"]
