#!/usr/bin/env bash
# Builds the example image for the docker adapter locally, without pulling anything from a registry: a root
# file system of Debian's busybox-static (one static binary and a symlink per applet) plus the echo CGI, made
# into an image with `docker import`. Its command serves busybox httpd on 127.0.0.1:$PORT (the adapter sets
# PORT; examples/docker/gateway.yaml passes the port in the command line instead).
#
#   bash examples/docker/build-image.sh [IMAGE]      # default IMAGE: smart-gateway/echo:1
#
# Works from any directory. Idempotent: the image carries a hash of its inputs as a label, and an image whose
# label matches is left alone ("up to date"). Prints the image name as its last line.
set -euo pipefail

image=${1:-smart-gateway/echo:1}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cgi="$here/echo.cgi"
label=dev.smartgateway.example.inputs

log() { echo "$*" >&2; }

command -v docker >/dev/null 2>&1 || { log "docker: command not found (apt-get install docker.io, or run .ci/docker)"; exit 1; }
docker info >/dev/null 2>&1 || { log "no Docker daemon answers (start one, e.g. with .ci/docker)"; exit 1; }

# The binary must be static: the image has no libc. Debian's busybox-static installs /bin/busybox; the
# dynamically linked busybox package installs the same path, hence the check.
busybox=""
for candidate in /bin/busybox /usr/bin/busybox "$(command -v busybox 2>/dev/null || true)"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && { ldd "$candidate" 2>&1 || true; } | grep -q 'not a dynamic executable'; then
    busybox=$candidate
    break
  fi
done
[ -n "$busybox" ] || { log "no statically linked busybox found (apt-get install busybox-static)"; exit 1; }

inputs=$(cat "$busybox" "$cgi" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-16)

# Several builds at once (parallel test runs) would each import an image; one at a time, the later ones find
# the image up to date.
exec 9>"${TMPDIR:-/tmp}/smart-gateway-build-image.lock"
command -v flock >/dev/null 2>&1 && flock 9

current=$(docker image inspect --format "{{ index .Config.Labels \"$label\" }}" "$image" 2>/dev/null || true)
if [ "$current" = "$inputs" ]; then
  log "$image is up to date"
  echo "$image"
  exit 0
fi
previous=$(docker image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/www/cgi-bin" "$root/tmp" "$root/etc" "$root/proc" "$root/sys" "$root/dev"
chmod 1777 "$root/tmp"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
  [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done
cp "$cgi" "$root/www/cgi-bin/index.cgi"   # busybox httpd runs it for a directory URL without index.html
ln -s index.cgi "$root/www/cgi-bin/echo"   # and this one for /cgi-bin/echo/<anything>
chmod 755 "$root/www/cgi-bin/index.cgi"
echo 'root:x:0:0:root:/:/bin/sh' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"

log "== importing $image from $busybox ($("$busybox" 2>&1 | head -1 | cut -d' ' -f1-2))"
tar --numeric-owner --owner=0 --group=0 -C "$root" -c . | docker import \
  --change "LABEL $label=$inputs" \
  --change 'ENV PATH=/bin' \
  --change 'ENV PORT=8080' \
  --change 'WORKDIR /www' \
  --change 'CMD ["/bin/sh", "-c", "exec httpd -f -v -p 127.0.0.1:${PORT} -h /www"]' \
  - "$image" >/dev/null

# The image this one replaces, now untagged: removed unless a container still uses it.
if [ -n "$previous" ] && [ "$previous" != "$(docker image inspect --format '{{.Id}}' "$image")" ]; then
  docker image rm "$previous" >/dev/null 2>&1 || true
fi
log "built $image"
echo "$image"
