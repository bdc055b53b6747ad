#!/usr/bin/env bash
# Makes ferry's distribution, ferry-VERSION-linux-x86_64.tar.gz and ferry_VERSION_amd64.deb, from
# what cli's package phase built (the shaded jar, the training run's class list) and the man pages
# this module converted. Run by dist/pom.xml at package time:
#   build-dist.sh VERSION CLI_TARGET MAN_PAGES OUT_DIR
set -euo pipefail
version="$1" cli_target="$2" man_pages="$3" out="$4"
checkout="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
name="ferry-$version"
stage="$out/stage/$name"
rm -rf "$out/stage" "$out/deb-root"
mkdir -p "$stage/bin" "$stage/lib" "$stage/share/man/man1" \
  "$stage/share/bash-completion/completions" "$stage/share/zsh/site-functions"

# The Java runtime, trimmed to the modules ferry needs. jdeps --print-module-deps on ferry.jar
# (--multi-release 17 --ignore-missing-deps) names java.base, java.management, java.naming,
# java.sql, jdk.httpserver, jdk.jfr and jdk.unsupported, and java.desktop, which only jline's
# console.impl uses (a clipboard and a browser; ferry's prompt is jline's LineReader): left out.
# That list leaves out what its modules require transitively; two of those are ferry's own needs,
# listed so that they do not lean on java.sql: java.logging (grpc-java logs through it) and
# java.xml (call --junit writes its report with javax.xml.stream). And jdeps cannot see what is
# found by name at run time: jdk.crypto.ec (the EC key exchanges and certificates of TLS) and
# jdk.naming.dns (grpc's DNS resolver asks JNDI for TXT records). The list is fixed rather than
# made by jdeps at every build, which costs some 18 s of CPU; verify-install.sh runs on it.
modules=(
  java.base java.logging java.management java.naming java.sql java.xml jdk.crypto.ec
  jdk.httpserver jdk.jfr jdk.naming.dns jdk.unsupported
)
# --generate-cds-archive: the JDK's own class-data sharing archive, made for this runtime (the
# system JDK's would not map into it), which the long-running commands use.
jlink --add-modules "$(IFS=,; echo "${modules[*]}")" --strip-debug --no-header-files \
  --no-man-pages --generate-cds-archive --output "$stage/runtime" > "$out/jlink.log"

cp -p "$cli_target/ferry.jar" "$stage/lib/ferry.jar"
# ferry's own archives (see cli/pom.xml), the short commands' and serve's, dumped by the bundled
# runtime for the same reason from the class lists the build's training runs wrote. JDK 17 writes
# the jar's path into an archive and refuses it for the jar at any other path, so the jar is named
# through fd 3, its directory held open, as the installed bin/ferry names it: see there.
for archive in ferry ferry-serve; do
  (
    exec 3<"$stage/lib"
    "$stage/runtime/bin/java" -Xshare:dump -XX:SharedClassListFile="$cli_target/$archive.classlist" \
      -XX:SharedArchiveFile="$stage/lib/$archive.jsa" -cp /proc/self/fd/3/ferry.jar
  ) > "$out/$archive.jsa.log" 2>&1 || {
    cat "$out/$archive.jsa.log" >&2
    exit 1
  }
  # bin/ferry maps an archive only when it is newer than the jar; both may carry the same second.
  touch -d "@$(($(stat -c %Y "$stage/lib/ferry.jar") + 1))" "$stage/lib/$archive.jsa"
done
# jlink and the JVM write their legal notices and archives read-only (0444); a package's files
# are 0644 like the rest.
chmod -R u+w "$stage"

cp "$checkout/ferry" "$stage/bin/ferry"
chmod 755 "$stage/bin/ferry"
cp "$checkout/completions/ferry.bash" "$stage/share/bash-completion/completions/ferry"
cp "$checkout/completions/ferry.zsh" "$stage/share/zsh/site-functions/_ferry"
for page in "$man_pages"/*.1; do
  gzip -9n < "$page" > "$stage/share/man/man1/$(basename "$page").gz"
done

# Owned by root in the archive, whoever built it; the times are kept, since the JVM checks the
# jar's against the one the archive recorded.
tar -C "$out/stage" --sort=name --owner=0 --group=0 --numeric-owner \
  -czf "$out/$name-linux-x86_64.tar.gz" "$name"

# The .deb: the runtime, jar and archive under /usr/lib/ferry, /usr/bin/ferry a link to its
# launcher, the completions and man pages where bash-completion, zsh and man look. Hard links
# into the staged tree: the same files, times kept.
deb_root="$out/deb-root"
mkdir -p "$deb_root/DEBIAN" "$deb_root/usr/lib/ferry" "$deb_root/usr/bin" \
  "$deb_root/usr/share/bash-completion/completions" "$deb_root/usr/share/zsh/vendor-completions" \
  "$deb_root/usr/share/man/man1"
cp -al "$stage/bin" "$stage/lib" "$stage/runtime" "$deb_root/usr/lib/ferry/"
ln -s ../lib/ferry/bin/ferry "$deb_root/usr/bin/ferry"
cp -p "$stage/share/bash-completion/completions/ferry" "$deb_root/usr/share/bash-completion/completions/"
cp -p "$stage/share/zsh/site-functions/_ferry" "$deb_root/usr/share/zsh/vendor-completions/"
cp -p "$stage/share/man/man1/"*.gz "$deb_root/usr/share/man/man1/"
# A Maven snapshot sorts before its release in Debian's order only with a tilde: 0.1.0~SNAPSHOT.
deb_version="${version/-/\~}"
# Depends: the libraries the runtime's own links to (ldd), glibc from the newest symbol version they
# ask for (objdump -T: GLIBC_2.34, with Debian 12's JDK 17).
cat > "$deb_root/DEBIAN/control" <<EOF
Package: ferry
Version: $deb_version
Architecture: amd64
Maintainer: ferry maintainers <maintainers@ferry.invalid>
Installed-Size: $(du -sk --exclude=DEBIAN "$deb_root" | cut -f1)
Depends: libc6 (>= 2.34), libgcc-s1, libstdc++6, zlib1g
Section: net
Priority: optional
Description: gRPC proxy, example backends, reflective client and tracer
 ferry is a gRPC-aware HTTP/2 proxy and load balancer, with the example
 backends greeter and daininki, a grpcurl-like client (call) and a tracer,
 in one command. It runs on the trimmed Java runtime it ships under
 /usr/lib/ferry: no JDK is needed.
EOF
# gzip rather than dpkg-deb's default xz: a fifth of the CPU time, and any dpkg reads it.
dpkg-deb --root-owner-group -Zgzip --build "$deb_root" "$out/ferry_${deb_version}_amd64.deb" > /dev/null
