#!/usr/bin/env bash
# Rebuilds examples/hello-waste.tar from examples/Containerfile with real tools.
# Needs: podman and busybox-static (Debian: apt-get install -y podman busybox-static), run as root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
cp "$here/Containerfile" "$ctx/Containerfile"
cp /bin/busybox "$ctx/busybox"
podman build --isolation chroot --format docker -t localhost/fathom/hello-waste:latest -f "$ctx/Containerfile" "$ctx"
rm -f "$here/hello-waste.tar"
podman save --format oci-archive -o "$here/hello-waste.tar" localhost/fathom/hello-waste:latest
ls -l "$here/hello-waste.tar"
