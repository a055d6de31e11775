# One layer over the debootstrap image of scripts/docker-base-image.sh: the updates and security fixes
# published since Debian's point release. Built by that script only.
ARG ROOTFS=lakemirror/debian-base:bookworm-debootstrap
FROM ${ROOTFS}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get -y upgrade \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/log/apt/* /var/log/dpkg.log
CMD ["bash"]
