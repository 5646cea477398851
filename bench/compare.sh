#!/usr/bin/env bash
# Times `ngxlint lint` (default rules, then --enable all) side by side with
# `nginx -t`, and with Gixy-Next when its sources are given, on the generated
# 300-virtual-host tree, in interleaved runs, and prints medians of wall and
# CPU time and the ratios.
#
#   bench/compare.sh [runs]        (default 11 runs each)
#
# NGINX (default /usr/sbin/nginx) is the nginx to compare with; NGXLINT a
# built ngxlint to time instead of this checkout's (an older build, say);
# BASELINE another build to time in the same loop, run for run beside this
# one, on the tree and the 10 MB file (the host's speed changes from one
# quarter of an hour to the next, so two compare.sh runs of two builds
# compare the hours as much as the builds); HOSTS the
# number of virtual hosts (300). GIXY_NEXT_SRC is a Gixy-Next source tree
# (the folder holding gixy/); it runs as `python3 -m gixy` with that folder put
# before PYTHONPATH, which must make its dependencies importable (crossplane,
# ConfigArgParse, Jinja2, tldextract); PYTHON picks another interpreter.
# Without GIXY_NEXT_SRC Gixy-Next is skipped, and the output says so.
# Wall time on a loaded machine is noisy; CPU time (user + system, all
# threads) is steadier, but ngxlint spreads its work on all cores, so its
# wall time can be below its CPU time.
#
# Then it times `ngxlint lint --max-nodes 0` on one generated 10 MB file
# (SINGLE bytes; SINGLE=0 skips it), linted whole, and ends with the
# performance issue's targets, each marked met or not: the tree in 1/20 of
# nginx -t's wall time (1/10 with --enable all), the 10 MB file under
# 0.3 s, and peak memory (max RSS) under 8 times the input.
#
# Then (SCALING rounds, default 3; SCALING=0 skips) it times fresh
# processes on generated trees of 1 MB and 64 MB, linted whole, each round
# seven 1 MB lints timed together and one 64 MB lint, for the target of
# linear time: CPU time per MB at 64 MB over that at 1 MB under 1.3. And (LSP=0 skips) it runs the language server's
# benchmark of the issue's edit, one character in a 5,000-line file of the
# 300-host tree, for the target of diagnostics in under 30 ms.
set -euo pipefail

runs=${1:-11}
hosts=${HOSTS:-300}
nginx=${NGINX:-/usr/sbin/nginx}
repo=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ -x "$nginx" ] || { echo "compare.sh: $nginx not found (set NGINX)" >&2; exit 2; }
mkdir -p "$tmp/prefix" "$tmp/tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=bench \
	-keyout "$tmp/tls/site.key" -out "$tmp/tls/site.pem" 2>/dev/null
if [ -n "${NGXLINT:-}" ]; then cp "$NGXLINT" "$tmp/ngxlint"; else (cd "$repo" && go build -o "$tmp/ngxlint" ./cmd/ngxlint); fi
baseline=
if [ -n "${BASELINE:-}" ]; then
	[ -x "$BASELINE" ] || { echo "compare.sh: BASELINE=$BASELINE is not an executable" >&2; exit 2; }
	baseline=$tmp/baseline
	cp "$BASELINE" "$baseline"
fi
read -r main size < <(cd "$repo" && go run ./bench/gentree -dir "$tmp/tree" -hosts "$hosts" \
	-cert "$tmp/tls/site.pem" -key "$tmp/tls/site.key" -prefix "$tmp/prefix")
lines=$(cat "$main" "$tmp"/tree/conf.d/*.conf "$tmp/tree/mime.types" | wc -l)
single=${SINGLE:-10485760}
if [ "$single" -gt 0 ]; then
	read -r big bigsize < <(cd "$repo" && go run ./bench/gentree -dir "$tmp/big" -single "$single")
fi
scaling=${SCALING:-3}
if [ "$scaling" -gt 0 ]; then
	read -r small smallsize < <(cd "$repo" && go run ./bench/gentree -dir "$tmp/s1" -size 1048576)
	read -r large largesize < <(cd "$repo" && go run ./bench/gentree -dir "$tmp/s64" -size 67108864)
fi

# Both must accept the tree before anything is timed: nginx -t passes,
# ngxlint parses without syntax or include errors (warnings are fine).
"$nginx" -t -q -p "$tmp/prefix" -c "$main" -g 'user root;' >/dev/null 2>"$tmp/nginx.err" ||
	{ cat "$tmp/nginx.err" >&2; echo "compare.sh: nginx -t rejects the tree" >&2; exit 1; }
if "$tmp/ngxlint" lint --format json "$main" >"$tmp/lint.json" 2>&1; then :; fi
if ! grep -q '"findings"' "$tmp/lint.json"; then
	cat "$tmp/lint.json" >&2; echo "compare.sh: ngxlint did not run" >&2; exit 1
fi
if grep -q '"name": *"\(nginx-syntax\|include-[a-z-]*\)"' "$tmp/lint.json"; then
	echo "compare.sh: ngxlint reports syntax or include errors" >&2; exit 1
fi

# Gixy-Next, when given, must import, and parse the tree without an error:
# it logs parse and include failures as ERROR lines on stderr but goes on, and
# exits 1 whenever it reports an issue, so its exit status tells nothing.
gixy=()
if [ -n "${GIXY_NEXT_SRC:-}" ]; then
	[ -d "$GIXY_NEXT_SRC/gixy" ] || { echo "compare.sh: no gixy/ in GIXY_NEXT_SRC=$GIXY_NEXT_SRC" >&2; exit 2; }
	gixy=(env "PYTHONPATH=$GIXY_NEXT_SRC${PYTHONPATH:+:$PYTHONPATH}" "${PYTHON:-python3}" -m gixy)
	gixy_version=$("${gixy[@]}" --version </dev/null 2>&1) ||
		{ echo "$gixy_version" >&2; echo "compare.sh: Gixy-Next does not start (are its dependencies on PYTHONPATH?)" >&2; exit 2; }
	if "${gixy[@]}" -f json "$main" </dev/null >"$tmp/gixy.json" 2>"$tmp/gixy.err"; then :; fi
	if grep -q 'ERROR\|Traceback' "$tmp/gixy.err" || ! grep -q '^\[' "$tmp/gixy.json"; then
		cat "$tmp/gixy.err" "$tmp/gixy.json" >&2; echo "compare.sh: Gixy-Next did not parse the tree" >&2; exit 1
	fi
fi

# one NAME CMD...: appends "wall_ms cpu_ms rss_mb" for one run to $tmp/NAME.
one() {
	local name=$1; shift
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/t" "$@" </dev/null >/dev/null 2>&1 || true
	# time writes "Command exited with non-zero status 1" first when the
	# command fails (ngxlint does when it finds something): the figures are
	# the last line.
	tail -n 1 "$tmp/t" | awk '{ printf "%.1f %.1f %.1f\n", $1*1000, ($2+$3)*1000, $4/1024 }' >>"$tmp/$name"
}
for _ in $(seq "$runs"); do
	one nginx "$nginx" -t -q -p "$tmp/prefix" -c "$main" -g 'user root;'
	one default "$tmp/ngxlint" lint --format json "$main"
	one all "$tmp/ngxlint" lint --format json --enable all "$main"
	if [ ${#gixy[@]} -gt 0 ]; then one gixy "${gixy[@]}" -f json "$main"; fi
	if [ "$single" -gt 0 ]; then one single "$tmp/ngxlint" lint --format json --max-nodes 0 "$big"; fi
	if [ -n "$baseline" ]; then
		one base_default "$baseline" lint --format json "$main"
		one base_all "$baseline" lint --format json --enable all "$main"
		if [ "$single" -gt 0 ]; then one base_single "$baseline" lint --format json --max-nodes 0 "$big"; fi
	fi
done
whole=(--max-nodes 0 --max-total-size 0)
# batch NAME K CMD...: appends one "wall_ms cpu_ms rss_mb" line for K runs of
# CMD in a row, wall and CPU divided by K: a lint of 1 MB takes only a few
# of /usr/bin/time's 10 ms steps, too coarse for a ratio read from it.
batch() {
	local name=$1 k=$2; shift 2
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/t" sh -c 'k=$1; shift; for _ in $(seq "$k"); do "$@" </dev/null >/dev/null 2>&1 || true; done' sh "$k" "$@"
	tail -n 1 "$tmp/t" | awk -v k="$k" '{ printf "%.1f %.1f %.1f\n", $1*1000/k, ($2+$3)*1000/k, $4/1024 }' >>"$tmp/$name"
}
for _ in $(seq "$scaling"); do
	batch small 7 "$tmp/ngxlint" lint --format json "${whole[@]}" "$small"
	one large "$tmp/ngxlint" lint --format json "${whole[@]}" "$large"
done
edit=
if [ "${LSP:-1}" != 0 ]; then
	edit=$(cd "$repo" && go test ./lsp -run '^$' -bench 'DidChangeInTree300$' -benchtime 40x |
		awk '{ for (i = 2; i <= NF; i++) if ($i == "ms/edit") print $(i-1) }')
	[ -n "$edit" ] || { echo "compare.sh: the language server's benchmark printed no ms/edit" >&2; exit 1; }
fi

median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.0f\n", (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2 }'; }
wall() { cut -d' ' -f1 "$tmp/$1" | median; }
cpu() { cut -d' ' -f2 "$tmp/$1" | median; }
rss() { cut -d' ' -f3 "$tmp/$1" | median; }
nw=$(wall nginx) nc=$(cpu nginx)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) printf "n/a"; else printf "%.2f", a / b }'; }
ratio1() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
echo "input: $hosts virtual hosts, $((hosts + 2)) files, $lines lines, $size bytes; $runs interleaved runs; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
# ngxlint backs its heap with huge pages only in the madvise mode, and only
# where a fault does not wait for compaction (defrag defer or never), unless
# NGXLINT_HUGE_HEAP=1 (internal/hugeheap); NGXLINT_HUGE_HEAP=0 or 1 in the
# environment makes an A/B run.
thp=$(sed -n 's/.*\[\([a-z]*\)\].*/\1/p' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)
defrag=$(sed -n 's/.*\[\([a-z+]*\)\].*/\1/p' /sys/kernel/mm/transparent_hugepage/defrag 2>/dev/null)
echo "transparent huge pages: ${thp:-unknown}, defrag ${defrag:-unknown}; NGXLINT_HUGE_HEAP=${NGXLINT_HUGE_HEAP:-unset}"
printf '%-28s %9s %8s %16s %15s %13s\n' command "wall ms" "cpu ms" "wall / nginx -t" "cpu / nginx -t" "max RSS MB"
names="nginx default all"
if [ ${#gixy[@]} -gt 0 ]; then names="$names gixy"; fi
if [ -n "$baseline" ]; then names="$names base_default base_all"; fi
for name in $names; do
	case $name in
	nginx) label="nginx -t ($("$nginx" -v 2>&1 | sed 's/.*\///'))" ;;
	default) label="ngxlint lint" ;;
	all) label="ngxlint lint --enable all" ;;
	gixy) label="Gixy-Next ${gixy_version##* v} -f json" ;;
	base_default) label="baseline lint" ;;
	base_all) label="baseline lint --enable all" ;;
	esac
	w=$(wall "$name") c=$(cpu "$name")
	printf '%-28s %9s %8s %16s %15s %13s\n' "$label" "$w" "$c" "$(ratio "$w" "$nw")" "$(ratio "$c" "$nc")" "$(rss "$name")"
done
if [ "$single" -gt 0 ]; then
	printf '%-28s %9s %8s %16s %15s %13s\n' "ngxlint lint, $((bigsize >> 20)) MB file" "$(wall single)" "$(cpu single)" "" "" "$(rss single)"
	if [ -n "$baseline" ]; then
		printf '%-28s %9s %8s %16s %15s %13s\n' "baseline lint, $((bigsize >> 20)) MB file" "$(wall base_single)" "$(cpu base_single)" "" "" "$(rss base_single)"
	fi
fi
if [ "$scaling" -gt 0 ]; then
	for name in small large; do
		case $name in
		small) bytes=$smallsize ;;
		large) bytes=$largesize ;;
		esac
		printf '%-28s %9s %8s %16s %15s %13s\n' "ngxlint lint, $(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1048576 }') MB tree" \
			"$(wall $name)" "$(cpu $name)" "" "" "$(rss $name)"
	done
fi
if [ -n "$edit" ]; then
	echo "language server, one edit in the tree to its diagnostics: $edit ms (go test ./lsp -bench DidChangeInTree300)"
fi
if [ ${#gixy[@]} -eq 0 ]; then
	echo "Gixy-Next: skipped (set GIXY_NEXT_SRC to its source tree)"
else
	gw=$(wall gixy) gc=$(cpu gixy)
	for name in default all; do
		case $name in
		default) label="ngxlint lint" ;;
		all) label="ngxlint lint --enable all" ;;
		esac
		w=$(wall "$name") c=$(cpu "$name")
		printf '%s / Gixy-Next: wall %s (1/%s), cpu %s (1/%s)\n' "$label" \
			"$(ratio "$w" "$gw")" "$(ratio1 "$gw" "$w")" "$(ratio "$c" "$gc")" "$(ratio1 "$gc" "$c")"
	done
fi

if [ -n "$baseline" ]; then
	# this build over the baseline, medians of the same loop's runs
	printf 'this build / baseline: tree wall %s cpu %s; --enable all wall %s cpu %s' \
		"$(ratio "$(wall default)" "$(wall base_default)")" "$(ratio "$(cpu default)" "$(cpu base_default)")" \
		"$(ratio "$(wall all)" "$(wall base_all)")" "$(ratio "$(cpu all)" "$(cpu base_all)")"
	if [ "$single" -gt 0 ]; then
		printf '; %s MB file wall %s cpu %s' "$((bigsize >> 20))" \
			"$(ratio "$(wall single)" "$(wall base_single)")" "$(ratio "$(cpu single)" "$(cpu base_single)")"
	fi
	echo
fi

# target LABEL VALUE LIMIT: one line, met when VALUE <= LIMIT.
target() {
	awk -v l="$1" -v v="$2" -v m="$3" 'BEGIN { printf "  %-52s %8.2f  (target <= %s): %s\n", l, v, m, (v <= m) ? "met" : "not met" }'
}
echo "targets:"
target "ngxlint lint wall / nginx -t wall" "$(ratio "$(wall default)" "$nw")" 0.05
target "ngxlint lint --enable all wall / nginx -t wall" "$(ratio "$(wall all)" "$nw")" 0.10
target "ngxlint lint max RSS / tree size" "$(awk -v r="$(rss default)" -v s="$size" 'BEGIN { print r * 1048576 / s }')" 8
if [ "$single" -gt 0 ]; then
	target "$((bigsize >> 20)) MB file, --max-nodes 0: wall seconds" "$(awk -v w="$(wall single)" 'BEGIN { print w / 1000 }')" 0.3
	target "$((bigsize >> 20)) MB file: max RSS / file size" "$(awk -v r="$(rss single)" -v s="$bigsize" 'BEGIN { print r * 1048576 / s }')" 8
fi
if [ "$scaling" -gt 0 ]; then
	perMB() { awk -v c="$(cpu "$1")" -v b="$2" 'BEGIN { print c / (b / 1048576) }'; }
	target "CPU ms per MB, 64 MB tree / 1 MB tree" "$(awk -v l="$(perMB large "$largesize")" -v s="$(perMB small "$smallsize")" 'BEGIN { print l / s }')" 1.3
	target "64 MB tree: max RSS / tree size" "$(awk -v r="$(rss large)" -v s="$largesize" 'BEGIN { print r * 1048576 / s }')" 8
fi
if [ -n "$edit" ]; then
	target "language server: one edit to diagnostics, ms" "$edit" 30
fi
