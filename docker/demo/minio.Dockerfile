# MinIO and mc for the compose demo profile (two "regions" with bucket replication), from the binaries
# scripts/tools.sh builds at the versions pinned in tools/versions.env (scripts/docker-build.sh copies them
# into the build context), and minio-setup.sh, the one-shot service that configures the buckets and their replication.
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
ARG MINIO_VERSION=unknown
LABEL org.opencontainers.image.title="lakemirror-demo-minio" \
      org.opencontainers.image.description="MinIO and mc built from source for the lakemirror demo" \
      org.opencontainers.image.version="${MINIO_VERSION}"
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10003 minio \
 && useradd --system --uid 10003 --gid 10003 --home-dir /data --shell /usr/sbin/nologin minio \
 && mkdir -p /data /tmp/mc && chown minio:minio /data /tmp/mc
COPY minio mc /usr/local/bin/
COPY minio-setup.sh /usr/local/bin/minio-setup
USER 10003:10003
WORKDIR /data
VOLUME /data
ENV MINIO_BROWSER=off \
    MINIO_UPDATE=off \
    HOME=/data
EXPOSE 9000
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=5 \
  CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:9000/minio/health/live"]
CMD ["minio", "server", "--quiet", "--address", ":9000", "/data"]
