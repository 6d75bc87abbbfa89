# kubesnap as a container: `docker build -t kubesnap .` then `docker run kubesnap watch ...`.
# `npm ci --omit=dev` keeps everything the program imports (a test checks that) and, through the prepare
# script, bundles the CLI into dist/ with esbuild (a runtime dependency for that reason).
FROM node:20-slim

# git for pushing to the remote; CA certificates for HTTPS remotes.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY bin ./bin
COPY cli ./cli
COPY lib ./lib
COPY scripts ./scripts
COPY templates ./templates
# After the sources, which the prepare script bundles. The files stay root's and the program runs as
# another user, so the bundle made here is the one it runs.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# A numeric non-root user, so Kubernetes can check runAsNonRoot without reading /etc/passwd.
RUN groupadd --gid 10001 kubesnap \
 && useradd --uid 10001 --gid 10001 --home-dir /tmp --no-create-home --shell /usr/sbin/nologin kubesnap
USER 10001:10001
# HOME for git; /tmp must be writable (an emptyDir in the Deployment).
ENV HOME=/tmp NODE_ENV=production

EXPOSE 9090
ENTRYPOINT ["node", "/app/bin/kubesnap.js"]
CMD ["--help"]
