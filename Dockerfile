# One Tablehop instance: the API, the sockets and the built web client on one port.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx vite build
ENV PORT=3000 HOST=0.0.0.0
EXPOSE 3000
# The node flags of `npm start` (package.json): a young generation big enough for a fan-out.
CMD ["npx", "tsx", "--max-semi-space-size=32", "server/main.ts"]
