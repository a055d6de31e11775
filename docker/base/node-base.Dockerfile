# Node.js 20 on the local Debian base, laid out like the official node:20-bookworm-slim image so that
# docker/Dockerfile works on either. Built by scripts/docker-base-image.sh from a context holding this
# machine's node binary and npm (Debian 12's own nodejs is 18).
ARG DEBIAN_BASE=lakemirror/debian-base:bookworm
FROM ${DEBIAN_BASE}
ARG NODE_VERSION
ENV NODE_VERSION=${NODE_VERSION}
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
# (no chmod here: changing the copied binary's mode would store it twice)
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && node --version && npm --version
CMD ["node"]
