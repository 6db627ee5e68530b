#!/usr/bin/env bash
# Offline stand-ins for the official node:20 images, for machines that reach Debian's mirror and the npm
# registry but no container registry (see docs/containers.md). Two kinds:
#
#   scripts/podman-base-image.sh            localhost/node:20-host (seconds): this host's node and npm, the
#                                           libraries they link, a shell, the CA bundle, and prebuilt native
#                                           addons from this repository's node_modules (same Node ABI and
#                                           libc), found by prebuild-install through npm_config_<pkg>_local_prebuilds.
#                                           No compiler: what the extracted services' Dockerfiles need.
#   scripts/podman-base-image.sh --debian   localhost/node:20-bookworm (minutes): a Debian bookworm minbase from
#                                           this machine's own apt mirror, with python3, make and g++ (native
#                                           addons compile in the image), plus the same node, npm and CA bundle.
#
# Both write /etc/containers/containers.conf (runc, cgroupfs, no default ulimits) when it lacks those
# settings: what Podman needs in this kind of sandbox, so plain `podman build` / `podman run` work.
set -euo pipefail
KIND=host
[ "${1:-}" = "--debian" ] && KIND=debian
if [ "$KIND" = host ]; then IMAGE=${IMAGE:-localhost/node:20-host}; else IMAGE=${IMAGE:-localhost/node:20-bookworm}; fi
WORK=${WORK:-/tmp/strangler-base-image-$KIND}
REPO=$(cd "$(dirname "$0")/.." && pwd)

conf=/etc/containers/containers.conf
if [ ! -f "$conf" ] || ! grep -q cgroup_manager "$conf"; then
  mkdir -p /etc/containers
  printf '[containers]\ndefault_ulimits = []\n\n[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\n' > "$conf"
  echo "base-image: wrote $conf" >&2
fi
if podman image exists "$IMAGE"; then echo "$IMAGE exists"; exit 0; fi

R="$WORK/rootfs"
NODE=$(command -v node)
NPM_DIR=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")

copy_with_libs() { # copies binaries and every library they link, at the same paths
  for f in "$@"; do
    mkdir -p "$R$(dirname "$f")" && cp -L "$f" "$R$f"
    for l in $(ldd "$f" | grep -o '/[^ ]*'); do mkdir -p "$R$(dirname "$l")" && cp -L "$l" "$R$l"; done
  done
}

if [ "$KIND" = debian ]; then
  # the mirror this machine's apt uses (a one-line sources.list or a deb822 .sources file): no host named here
  MIRROR=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '$1 == "deb" && $0 ~ / bookworm / { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }')
  if [ -z "$MIRROR" ]; then
    MIRROR=$(awk 'tolower($1) == "uris:" { u = $2 } tolower($1) == "suites:" && $0 ~ /(^| )bookworm( |$)/ && u != "" && u !~ /security/ { print u; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  fi
  [ -n "$MIRROR" ] || { echo "base-image: no Debian bookworm mirror in /etc/apt/sources.list*; pass MIRROR=<url>" >&2; exit 2; }
  command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null
  if [ ! -x "$R/usr/bin/python3" ]; then
    rm -rf "$R" && mkdir -p "$R"
    echo "base-image: debootstrap bookworm from this machine's apt mirror (a few minutes)" >&2
    debootstrap --variant=minbase --include=python3,make,g++,ca-certificates bookworm "$R" "$MIRROR" >/dev/null
  fi
  [ -d /usr/include/node ] && rm -rf "$R/usr/include/node" && mkdir -p "$R/usr/include" && cp -a /usr/include/node "$R/usr/include/"
  printf 'cafile=/etc/ssl/certs/ca-certificates.crt\nnodedir=/usr\n' > "$WORK/npmrc"
else
  rm -rf "$R" && mkdir -p "$R/tmp" "$R/root" "$R/home/node" "$R/etc/ssl/certs" "$R/bin"
  chmod 1777 "$R/tmp" && chown 1000:1000 "$R/home/node"
  copy_with_libs "$NODE" /bin/dash /usr/bin/env
  ln -sf dash "$R/bin/sh"
  printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000:node:/home/node:/bin/sh\n' > "$R/etc/passwd"
  printf 'root:x:0:\nnode:x:1000:\n' > "$R/etc/group"
  printf 'cafile=/etc/ssl/certs/ca-certificates.crt\n' > "$WORK/npmrc"
  # native addons of this repository (e.g. better-sqlite3), packed the way prebuild-install names its downloads
  mkdir -p "$R/usr/local/share/prebuilds"
  ABI=$(node -p process.versions.modules); PLATFORM=$(node -p 'process.platform + "-" + process.arch')
  PREBUILD_ENV=()
  for pkg in "$REPO"/node_modules/*/package.json; do
    dir=$(dirname "$pkg"); name=$(basename "$dir")
    grep -q '"install": *"prebuild-install' "$pkg" || continue
    ls "$dir"/build/Release/*.node >/dev/null 2>&1 || continue
    version=$(node -p "require('$pkg').version")
    stage=$(mktemp -d) && mkdir -p "$stage/build/Release" && cp "$dir"/build/Release/*.node "$stage/build/Release/"
    for lib in "$dir"/build/Release/*.node; do copy_with_libs "$lib"; rm -f "$R$lib"; done
    tar -C "$stage" -czf "$R/usr/local/share/prebuilds/$name-v$version-node-v$ABI-$PLATFORM.tar.gz" build && rm -rf "$stage"
    PREBUILD_ENV+=(--change "ENV npm_config_$(echo "$name" | tr -c 'A-Za-z0-9\n' _)_local_prebuilds=/usr/local/share/prebuilds")
  done
fi
cp "$NODE" "$R/usr/bin/node"
mkdir -p "$R/usr/lib/node_modules" "$R/usr/etc"
rm -rf "$R/usr/lib/node_modules/npm" && cp -a "$NPM_DIR" "$R/usr/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$R/usr/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$R/usr/bin/npx"
cp /etc/ssl/certs/ca-certificates.crt "$R/etc/ssl/certs/ca-certificates.crt"
cp "$WORK/npmrc" "$R/usr/etc/npmrc"
tar -C "$R" -cf "$WORK/rootfs.tar" .
podman import --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' ${PREBUILD_ENV[@]+"${PREBUILD_ENV[@]}"} "$WORK/rootfs.tar" "$IMAGE" >/dev/null
rm -f "$WORK/rootfs.tar"
echo "built $IMAGE"
