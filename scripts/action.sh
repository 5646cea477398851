#!/bin/sh
# The steps of the composite GitHub Action (action.yml) after Go is set
# up: build or install ngxlint, lint, and leave the SARIF file for the
# upload step. Inputs come as environment variables so that a test can run
# this script outside GitHub:
#   NGXLINT_PATHS    paths to lint (white-space separated; default .)
#   NGXLINT_ARGS     extra arguments for ngxlint lint
#   NGXLINT_FORMAT   text, json, sarif, github or checkstyle (default github)
#   NGXLINT_FAIL_ON  error, warning, info or none (default warning)
#   NGXLINT_VERSION  a module version to go install (v1.2.3, latest); empty
#                    builds the action's own checkout (the tag `uses:` names)
# It writes `sarif=<file>` and `exit-code=<status>` to $GITHUB_OUTPUT and
# exits with ngxlint's status.
set -u

action_dir=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
tmp=${RUNNER_TEMP:-${TMPDIR:-/tmp}}
bin="$tmp/ngxlint-action/ngxlint"
mkdir -p "$tmp/ngxlint-action"

if [ -n "${NGXLINT_VERSION:-}" ]; then
	GOBIN="$tmp/ngxlint-action" go install "github.com/ngxlint/ngxlint/cmd/ngxlint@$NGXLINT_VERSION" || exit 2
else
	commit=$(git -C "$action_dir" rev-parse HEAD 2>/dev/null || echo unknown)
	ver=$(git -C "$action_dir" describe --tags --always 2>/dev/null || echo action)
	(cd "$action_dir" && CGO_ENABLED=0 go build -trimpath \
		-ldflags "-X main.version=$ver -X main.commit=$commit" -o "$bin" ./cmd/ngxlint) || exit 2
fi
"$bin" version

format=${NGXLINT_FORMAT:-github}
set -- --format "$format" --fail-on "${NGXLINT_FAIL_ON:-warning}"
sarif=""
if [ "$format" = sarif ]; then
	sarif="$tmp/ngxlint-action/ngxlint.sarif"
	set -- "$@" --output "$sarif"
fi
# Word splitting of ARGS and PATHS is wanted: they are lists.
# shellcheck disable=SC2086
"$bin" lint "$@" ${NGXLINT_ARGS:-} ${NGXLINT_PATHS:-.}
status=$?
if [ -n "${GITHUB_OUTPUT:-}" ]; then
	echo "sarif=$sarif" >> "$GITHUB_OUTPUT"
	echo "exit-code=$status" >> "$GITHUB_OUTPUT"
fi
exit $status
