#!/bin/sh
# Install into a scratch prefix and prove that what was installed is usable:
# the tool, the man pages, the completions, and the library through both
# pkg-config and the CMake package.
# usage: check.sh BUILD_DIR SOURCE_DIR [CFLAGS]
set -eu
build=$1
src=$2
cflags=${3:-}
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
fail() { echo "install check: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$(find "$prefix" -name libdutytrack.pc -exec dirname {} \; | head -n 1)
[ -n "$libdir" ] || fail "no libdutytrack.pc installed"
libdir=$(dirname "$libdir")
for f in bin/rdlz include/dutytrack/dutytrack.h share/man/man1/rdlz.1 share/man/man3/libdutytrack.3 \
	share/bash-completion/completions/rdlz share/zsh/site-functions/_rdlz \
	share/fish/vendor_completions.d/rdlz.fish; do
	[ -e "$prefix/$f" ] || fail "$f not installed"
done
[ -e "$libdir/libdutytrack.so" ] && [ -e "$libdir/libdutytrack.a" ] || fail "libraries not installed"
LD_LIBRARY_PATH="$libdir" "$prefix/bin/rdlz" --version | grep -q '^rdlz ' || fail "installed rdlz does not run"

# pkg-config
PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --exists libdutytrack || fail "pkg-config cannot find it"
# shellcheck disable=SC2086
cc $cflags -o "$prefix/consumer-pc" "$src/tests/install/consumer.c" \
	$(PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --cflags --libs libdutytrack)
LD_LIBRARY_PATH="$libdir" "$prefix/consumer-pc" "$prefix/a.db" | grep -q '^\[\]$' || fail "pkg-config consumer"

# CMake package
cmake -S "$src/tests/install" -B "$prefix/consumer-build" -DCMAKE_PREFIX_PATH="$prefix" \
	-DCMAKE_C_FLAGS="$cflags" >/dev/null
cmake --build "$prefix/consumer-build" >/dev/null
LD_LIBRARY_PATH="$libdir" "$prefix/consumer-build/consumer" "$prefix/b.db" | grep -q '^libdutytrack ' ||
	fail "CMake consumer"
echo "install check: ok"
