#!/bin/sh
# Cross-builds static ngxlint binaries with the version stamped in, and
# their checksums, into $DIST (default: dist/).
#
#   scripts/release.sh            # version from the git tag (git describe)
#   scripts/release.sh v1.2.3     # an explicit version
#
# The binaries are named ngxlint-OS-ARCH (.exe on Windows); Dockerfile
# copies ngxlint-linux-$TARGETARCH into a scratch image.
set -eu

cd "$(dirname "$0")/.."
version=${1:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain 2>/dev/null)" ]; then
	commit="$commit-dirty"
fi
dist=${DIST:-dist}
targets=${TARGETS:-"linux/amd64 linux/arm64 darwin/arm64 windows/amd64"}

mkdir -p "$dist"
for t in $targets; do
	os=${t%/*}
	arch=${t#*/}
	out="$dist/ngxlint-$os-$arch"
	[ "$os" = windows ] && out="$out.exe"
	echo "building $out ($version, $commit)" >&2
	# CGO off: a static binary that runs in a scratch image. -trimpath
	# keeps the build machine's paths out of it. urfave_cli_no_docs leaves
	# out urfave/cli's Markdown and man-page writers, which ngxlint does not
	# use, and with them blackfriday, whose init cost every run 0.6 ms.
	CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -tags urfave_cli_no_docs \
		-ldflags "-s -w -X main.version=$version -X main.commit=$commit" \
		-o "$out" ./cmd/ngxlint
done
(cd "$dist" && sha256sum ngxlint-* > SHA256SUMS)
echo "wrote $dist/SHA256SUMS" >&2
