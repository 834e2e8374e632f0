#!/usr/bin/env bash
# Builds the example guest for the qemu adapter from Debian's packages, nothing else: the kernel of
# linux-image-6.1.0-*-cloud-amd64 (the newest apt-cache offers) and a busybox-static initramfs whose /init loads
# the virtio network drivers, takes 10.0.2.15/24 (QEMU's user-mode network, gateway 10.0.2.2) and runs busybox
# httpd on port 8080 with guest/echo.cgi, which answers with the path, the method and the VM's instance id
# (sg.instance=ID on the kernel command line).
#
#   bash examples/qemu/build-image.sh [BUILD_DIR]   # default BUILD_DIR: examples/qemu/build
#
# Output: BUILD_DIR/vmlinuz and BUILD_DIR/initrd.gz (what examples/qemu/gateway.yaml and the tests use).
# Works from any directory. Idempotent: the kernel package is downloaded once (kept in BUILD_DIR/deb), and
# an output whose recorded input hash matches is left alone ("up to date"). Needs apt-get, dpkg-deb, cpio,
# gzip and a static busybox (apt-get install busybox-static cpio); prints the build directory as its last line.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:-$here/build}
mkdir -p "$build"
build=$(cd "$build" && pwd)
guest="$here/guest"
# virtio_net and virtio_pci with what they need (the list is closed over `modinfo -F depends` below), plus the
# ACPI power button and evdev for acpid: QMP system_powerdown then powers the guest off.
wanted_modules=(virtio_pci virtio_net button evdev)

log() { echo "$*" >&2; }
need() { command -v "$1" >/dev/null 2>&1 || { log "$1: command not found ($2)"; exit 1; }; }
need apt-get "a Debian or Ubuntu machine"
need dpkg-deb "apt-get install dpkg"
need cpio "apt-get install cpio"
need gzip "apt-get install gzip"

busybox=""
for candidate in /bin/busybox /usr/bin/busybox "$(command -v busybox 2>/dev/null || true)"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && { ldd "$candidate" 2>&1 || true; } | grep -q 'not a dynamic executable'; then
    busybox=$candidate
    break
  fi
done
[ -n "$busybox" ] || { log "no statically linked busybox found (apt-get install busybox-static)"; exit 1; }

# One build at a time (parallel test runs): the later ones find the output up to date.
exec 9>"$build/.lock"
command -v flock >/dev/null 2>&1 && flock 9

# The kernel package: one already downloaded wins (no network, same kernel on every run), else the newest.
mkdir -p "$build/deb"
deb=$(ls "$build"/deb/linux-image-6.1.0-*-cloud-amd64_*.deb 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$deb" ]; then
  package=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-cloud-amd64$' | awk '{print $1}' | sort -V | tail -n 1)
  [ -n "$package" ] || { log "apt-cache offers no linux-image-6.1.0-*-cloud-amd64 (Debian 12 sources needed; apt-get update?)"; exit 1; }
  log "== downloading $package"
  (cd "$build/deb" && apt-get download "$package" 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2 || true)
  deb=$(ls "$build"/deb/"$package"_*.deb 2>/dev/null | tail -n 1 || true)
  [ -n "$deb" ] || { log "apt-get download $package failed"; exit 1; }
fi

inputs=$( (basename "$deb"; cat "$busybox" "${BASH_SOURCE[0]}"; find "$guest" -type f | sort | xargs cat) | sha256sum | cut -c1-16)
if [ -f "$build/vmlinuz" ] && [ -f "$build/initrd.gz" ] && [ "$(cat "$build/inputs" 2>/dev/null)" = "$inputs" ]; then
  log "$build is up to date ($(basename "$deb"))"
  echo "$build"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log "== unpacking $(basename "$deb")"
dpkg-deb -x "$deb" "$work/kernel"
modules_dir=$(ls -d "$work"/kernel/lib/modules/* | head -n 1)
kernel_version=$(basename "$modules_dir")

# The .ko of a module, or nothing when the kernel has it built in (modules.builtin) or lacks it.
ko_of() {
  find "$modules_dir" -name "$1.ko*" | head -n 1
}
# What a module needs loaded first: modinfo when installed (kmod), else the .ko's own modinfo section.
depends_of() {
  local deps
  if command -v modinfo >/dev/null 2>&1; then
    deps=$(modinfo -F depends "$1")
  else
    deps=$(tr '\0' '\n' <"$1" | sed -n 's/^depends=//p' | head -n 1)
  fi
  tr ',' ' ' <<<"$deps"
}
ordered=()
add_module() {
  local name=$1 ko dep
  for done_name in "${ordered[@]:-}"; do [ "$done_name" = "$name" ] && return 0; done
  ko=$(ko_of "$name")
  if [ -z "$ko" ]; then
    grep -q "/$name.ko" "$modules_dir/modules.builtin" 2>/dev/null && { log "   $name: built in"; return 0; }
    log "$name: no such module in $kernel_version"; exit 1
  fi
  for dep in $(depends_of "$ko"); do add_module "$dep"; done
  ordered+=("$name")
}
for module in "${wanted_modules[@]}"; do add_module "$module"; done
log "   modules, in load order: ${ordered[*]}"

root="$work/root"
mkdir -p "$root"/{bin,dev,etc/acpi,lib/modules,proc,sys,tmp,www/cgi-bin}
cp "$busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
for name in "${ordered[@]}"; do
  ko=$(ko_of "$name")
  case "$ko" in
    *.ko) cp "$ko" "$root/lib/modules/$name.ko" ;;
    *.ko.xz) xz -dc "$ko" >"$root/lib/modules/$name.ko" ;;
    *.ko.zst) zstd -qdc "$ko" >"$root/lib/modules/$name.ko" ;;
    *.ko.gz) gzip -dc "$ko" >"$root/lib/modules/$name.ko" ;;
  esac
done
printf '%s\n' "${ordered[@]}" >"$root/etc/modules"
install -m 755 "$guest/init" "$root/init"
install -m 644 "$guest/inittab" "$root/etc/inittab"
cp -r "$guest/acpi/." "$root/etc/acpi/"
install -m 755 "$guest/echo.cgi" "$root/www/cgi-bin/index.cgi"   # busybox httpd runs it for a directory URL
ln -s index.cgi "$root/www/cgi-bin/echo"                          # and this one for /cgi-bin/echo/<anything>
echo 'root:x:0:0:root:/:/bin/sh' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"

log "== packing the initramfs (busybox $("$busybox" 2>&1 | head -n 1 | cut -d' ' -f2))"
(cd "$root" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 | gzip -9 -n) >"$work/initrd.gz"
cp "$work/kernel/boot/vmlinuz-$kernel_version" "$work/vmlinuz"
# Replaced, not rewritten in place: a VM booting from the old files keeps reading them.
mv -f "$work/vmlinuz" "$build/vmlinuz"
mv -f "$work/initrd.gz" "$build/initrd.gz"
echo "$inputs" >"$build/inputs"
log "built $build/vmlinuz ($kernel_version) and $build/initrd.gz ($(du -k "$build/initrd.gz" | cut -f1) KiB)"
echo "$build"
