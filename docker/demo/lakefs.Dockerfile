# lakeFS and lakectl for the compose demo profile, from the binaries scripts/tools.sh builds at the
# versions pinned in tools/versions.env (scripts/docker-build.sh copies them into the build context), and
# demo-setup.sh, the one-shot `demo` service of the compose demo profile (curl and jq are for it).
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
ARG LAKEFS_VERSION=unknown
LABEL org.opencontainers.image.title="lakemirror-demo-lakefs" \
      org.opencontainers.image.description="lakeFS and lakectl built from source for the lakemirror demo" \
      org.opencontainers.image.version="${LAKEFS_VERSION}"
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates curl jq \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10002 lakefs \
 && useradd --system --uid 10002 --gid 10002 --home-dir /data --shell /usr/sbin/nologin lakefs \
 && mkdir -p /data && chown lakefs:lakefs /data
COPY lakefs lakectl /usr/local/bin/
COPY demo-setup.sh /usr/local/bin/demo-setup
USER 10002:10002
WORKDIR /data
VOLUME /data
# Metadata in a local KV store under /data; no calls home.
ENV LAKEFS_LISTEN_ADDRESS=0.0.0.0:8000 \
    LAKEFS_DATABASE_TYPE=local \
    LAKEFS_DATABASE_LOCAL_PATH=/data/metadata \
    LAKEFS_COMMITTED_LOCAL_CACHE_DIR=/data/cache \
    LAKEFS_STATS_ENABLED=false \
    LAKEFS_EMAIL_SUBSCRIPTION_ENABLED=false \
    LAKEFS_SECURITY_CHECK_LATEST_VERSION=false
EXPOSE 8000
HEALTHCHECK --interval=5s --timeout=3s --start-period=20s --retries=5 \
  CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8000/_health"]
CMD ["lakefs", "run"]
