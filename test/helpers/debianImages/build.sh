#!/usr/bin/env bash
# build.sh INPUTS OUT: the Debian 12 fixture images, made with the real tools and no registry.
#   1. debootstrap --variant=minbase bookworm, slimmed the way debian:bookworm-slim is (dpkg path excludes), imported
#      with `podman import` as localhost/fathom-fixture/debian:12 (one layer, CMD ["bash"]);
#   2. the packages the images add (and their dependencies missing from that rootfs, as apt resolves them against the
#      rootfs's own dpkg status and package lists) fetched with `apt-get download` into a flat repository with a
#      Packages index;
#   3. each *.Containerfile beside this script built FROM the base with `podman build --isolation chroot`, the
#      repository bind-mounted read-only at /mnt (an existing empty directory, so no mount point is left in a layer)
#      and the files of INPUTS (compiled programs, the test CA) as the build context;
#   4. each image written with `podman save --format docker-archive` to OUT/NAME.tar.
# Everything happens in a private podman storage under a temporary directory, removed on exit. Needs root.
set -euo pipefail
inputs=$(realpath "$1")
out=$(realpath "$2")
here=$(dirname "$(realpath "$0")")
mirror=${FATHOM_DEBIAN_MIRROR:-http://deb.debian.org/debian}
packages=(nginx libssl3 ca-certificates)

work=$(mktemp -d "${TMPDIR:-/tmp}/fathom-debian-build-XXXXXX")
podman=(podman --root "$work/storage" --runroot "$work/run" --storage-driver overlay)
cleanup() {
  "${podman[@]}" rmi --all --force >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

t0=${EPOCHREALTIME/./}
step() { local now=${EPOCHREALTIME/./}; printf 'step %-12s %6d ms\n' "$1" $(((now - t0) / 1000)); t0=$now; }

rootfs=$work/rootfs
# the mirror is the one thing from the network: a second and third try before a transient failure fails the tests
for attempt in 1 2 3; do
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 && break
  [ "$attempt" = 3 ] && { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  rm -rf "$rootfs"
  sleep 5
done
step debootstrap

# apt on the host, rooted in the new rootfs: its sources, its package lists (debootstrap left them), its dpkg status
apt=(apt-get -o "Dir=$rootfs" -o Debug::NoLocking=1 -o APT::Sandbox::User=root -o Acquire::Retries=3 -q)
mapfile -t missing < <("${apt[@]}" -s install --no-install-recommends "${packages[@]}" | awk '$1 == "Inst" { print $2 }')
repo=$work/repo
mkdir -p "$repo"
(cd "$repo" && "${apt[@]}" download "${missing[@]}" >/dev/null)
for deb in "$repo"/*.deb; do
  dpkg-deb -f "$deb"
  printf 'Filename: ./%s\nSize: %s\nSHA256: %s\n\n' "$(basename "$deb")" "$(stat -c %s "$deb")" "$(sha256sum "$deb" | cut -d' ' -f1)"
done >"$repo/Packages"
echo 'deb [trusted=yes] file:/mnt ./' >"$repo/local.list"
cp "$here/apt-install" "$repo/apt-install"
step repository

# what debian:bookworm-slim leaves out, and nothing of the host or of debootstrap's run
cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/locale/*
EOF
find "$rootfs/usr/share/doc" -mindepth 2 ! -type d ! -name copyright -delete
find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "$rootfs"/usr/share/{man,groff,info,lintian,locale}/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
  "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/dev/* "$rootfs"/var/log/*.log "$rootfs"/var/cache/debconf/*-old \
  "$rootfs"/var/lib/dpkg/*-old "$rootfs/etc/hostname"
: >"$rootfs/etc/resolv.conf"
tar --numeric-owner -C "$rootfs" -cf - . | "${podman[@]}" import --change 'CMD ["bash"]' - localhost/fathom-fixture/debian:12 >/dev/null
rm -rf "$rootfs"
step base

mkdir -p "$out"
for file in "$here"/*.Containerfile; do
  name=$(basename "$file" .Containerfile)
  tag=$(sed -n 's/^# tag: //p' "$file")
  "${podman[@]}" build --isolation chroot --pull=never --volume "$repo:/mnt:ro" -f "$file" -t "$tag" "$inputs" >"$work/build-$name.log" 2>&1 \
    || { tail -30 "$work/build-$name.log" >&2; exit 1; }
  "${podman[@]}" save --format docker-archive -o "$out/$name.tar" "$tag" >/dev/null 2>&1
  step "$name"
done
