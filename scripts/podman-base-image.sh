#!/usr/bin/env bash
# Builds localhost/node:20-bookworm, an offline stand-in for the official node:20-bookworm image, for machines
# that reach Debian's mirror and the npm registry but no container registry (see docs/containers.md).
# It is a Debian bookworm minbase with this host's own node + npm, node's headers (for native addons such
# as better-sqlite3) and this host's CA bundle (so npm trusts the same registry the host trusts).
set -euo pipefail
IMAGE=${IMAGE:-localhost/node:20-bookworm}
WORK=${WORK:-/tmp/strangler-base-image}
P=(podman --runtime runc --cgroup-manager=cgroupfs)

if "${P[@]}" image exists "$IMAGE"; then echo "$IMAGE exists"; exit 0; fi
command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null
if [ ! -f /etc/containers/containers.conf ] || ! grep -q default_ulimits /etc/containers/containers.conf; then
  mkdir -p /etc/containers && printf '[containers]\ndefault_ulimits = []\n' > /etc/containers/containers.conf
fi

R="$WORK/rootfs"
if [ ! -x "$R/usr/bin/python3" ]; then
  rm -rf "$R" && mkdir -p "$R"
  echo "base-image: debootstrap bookworm (a few minutes)" >&2
  debootstrap --variant=minbase --include=python3,make,g++,ca-certificates bookworm "$R" http://deb.debian.org/debian >/dev/null
fi
NODE=$(command -v node); NPM_DIR=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
cp "$NODE" "$R/usr/bin/node"
mkdir -p "$R/usr/lib/node_modules" "$R/usr/include" "$R/usr/etc"
rm -rf "$R/usr/lib/node_modules/npm" && cp -a "$NPM_DIR" "$R/usr/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$R/usr/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$R/usr/bin/npx"
[ -d /usr/include/node ] && rm -rf "$R/usr/include/node" && cp -a /usr/include/node "$R/usr/include/"
cp /etc/ssl/certs/ca-certificates.crt "$R/etc/ssl/certs/ca-certificates.crt"
printf 'cafile=/etc/ssl/certs/ca-certificates.crt\nnodedir=/usr\n' > "$R/usr/etc/npmrc"
tar -C "$R" -cf "$WORK/rootfs.tar" .
"${P[@]}" import "$WORK/rootfs.tar" "$IMAGE" >/dev/null
echo "built $IMAGE"
