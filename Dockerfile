# kubesnap as a container: `docker build -t kubesnap .` then `docker run kubesnap watch ...`.
# The dependencies are installed in a layer of their own, before the sources are copied, so a change to the
# sources rebuilds only the layers after it. `npm ci --omit=dev` keeps everything the program imports (a test
# checks that); the prepare script, which bundles the CLI into dist/ with esbuild (a runtime dependency for that
# reason), needs the sources, so it runs once they are copied.
FROM node:20-slim

# git for pushing to the remote; CA certificates for HTTPS remotes.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# --ignore-scripts: the prepare script would bundle sources that are not here yet; `npm rebuild` then runs
# the dependencies' own install scripts (esbuild's binary check), which need nothing of ours.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm rebuild && npm cache clean --force

COPY tsconfig.json ./
COPY bin ./bin
COPY cli ./cli
COPY lib ./lib
COPY scripts ./scripts
COPY templates ./templates
# The files stay root's and the program runs as another user, so the bundle made here is the one it runs.
RUN npm run prepare

# A numeric non-root user, so Kubernetes can check runAsNonRoot without reading /etc/passwd.
RUN groupadd --gid 10001 kubesnap \
 && useradd --uid 10001 --gid 10001 --home-dir /tmp --no-create-home --shell /usr/sbin/nologin kubesnap
USER 10001:10001
# HOME for git; /tmp must be writable (an emptyDir in the Deployment).
ENV HOME=/tmp NODE_ENV=production

EXPOSE 9090
ENTRYPOINT ["node", "/app/bin/kubesnap.js"]
CMD ["--help"]
