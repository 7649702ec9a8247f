#!/usr/bin/env bash
# Builds the offline Java base image: a `docker save`-format tarball that Jib reads as a base with
# -Djib.from.image=tar://<path> (no Docker daemon, no registry).
#
#   scripts/base-image.sh OUT.tar
#
# For machines without access to a container registry (this project's build machines reach only
# Maven Central, Debian packages and npm). One layer holds:
#   /opt/java/openjdk   a JRE jlink'ed from $JAVA_HOME (the same path and PATH/JAVA_HOME as the
#                       eclipse-temurin images, so the service images are configured alike)
#   the glibc libraries that JRE links against, copied from this machine (found with ldd)
#   /etc/passwd, /etc/group with user "nonroot" (65532), /etc/nsswitch.conf, /tmp (mode 1777)
# The layer tar is reproducible (sorted, mtime 0, owner 0). Skips the work when OUT.tar is newer
# than this script and the JDK.
set -euo pipefail

out="${1:?usage: scripts/base-image.sh OUT.tar}"
java_home="${JAVA_HOME:?JAVA_HOME must point at a JDK (scripts/select-jdk.sh)}"
script="${BASH_SOURCE[0]}"
if [ -f "$out" ] && [ "$out" -nt "$script" ] && [ "$out" -nt "$java_home/release" ]; then
  echo "base-image: $out is up to date" >&2
  exit 0
fi

modules="java.se,jdk.unsupported,jdk.management,jdk.management.jfr,jdk.jfr,jdk.naming.dns,jdk.net,jdk.zipfs,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.localedata,jdk.charsets"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root/opt/java" "$root/etc" "$root/tmp" "$root/home/nonroot"

echo "base-image: jlink ($modules) from $java_home" >&2
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress=zip-6 --output "$root/opt/java/openjdk"

# glibc (and whatever else the JRE's binaries link against), at the paths the loader resolved
copy_lib() {
  local lib="$1"
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
}
find "$root/opt/java/openjdk" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 \
  | xargs -0 ldd 2>/dev/null \
  | awk '/=> \// {print $3} /^\t\/[^ ]+ \(/ {print $1}' \
  | grep -v "^$root" | sort -u | while read -r lib; do copy_lib "$lib"; done
# the ELF interpreter path is fixed in every binary
copy_lib /lib64/ld-linux-x86-64.so.2

cat > "$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
EOF
cat > "$root/etc/group" <<'EOF'
root:x:0:
nonroot:x:65532:
EOF
printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"
chmod 1777 "$root/tmp"

# smoke test: the JRE starts in the root file system alone (needs root for chroot; skipped
# otherwise). Without /proc in the chroot the loader cannot expand $ORIGIN (java's RUNPATH), so the
# JRE's own library folders are named here; a container runtime mounts /proc.
if [ "$(id -u)" = 0 ] && command -v chroot >/dev/null; then
  LD_LIBRARY_PATH=/opt/java/openjdk/lib:/opt/java/openjdk/lib/server \
    chroot "$root" /opt/java/openjdk/bin/java -Xshare:auto -version 2>&1 | sed 's/^/base-image: chroot: /' >&2
fi

tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$root" -cf "$work/layer.tar" .
diff_id="sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
gzip -n -6 "$work/layer.tar"
java_version="$(awk -F'"' '/^JAVA_VERSION=/ {print $2}' "$java_home/release")"

mkdir -p "$work/image"
mv "$work/layer.tar.gz" "$work/image/layer.tar.gz"
cat > "$work/image/config.json" <<EOF
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Env":["PATH=/opt/java/openjdk/bin:/usr/local/bin:/usr/bin:/bin","JAVA_HOME=/opt/java/openjdk","LANG=C.UTF-8"],
  "Labels":{"org.opencontainers.image.title":"klingrelay local JRE base","org.opencontainers.image.description":"jlink JRE $java_version + glibc from the build machine"}},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"scripts/base-image.sh"}]}
EOF
cat > "$work/image/manifest.json" <<EOF
[{"Config":"config.json","RepoTags":["klingrelay/jre:$java_version"],"Layers":["layer.tar.gz"]}]
EOF
mkdir -p "$(dirname "$out")"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work/image" -cf "$out.tmp" manifest.json config.json layer.tar.gz
mv "$out.tmp" "$out"
echo "base-image: wrote $out ($(du -h "$out" | cut -f1), JRE $java_version)" >&2
