package main

import (
	"bufio"
	"bytes"
	"fmt"
	"go/format"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
)

// input is one repository and the release tags of it that count.
type input struct {
	source string   // spec.Directive.Source
	repo   string   // owner/name on GitHub
	tagRE  string   // release tags; group 1 is the version
	dirs   []string // folders holding the module sources
}

var inputs = []input{
	{"nginx", "nginx/nginx", `^release-(\d+\.\d+\.\d+)$`, []string{"src"}},
	{"lua-nginx-module", "openresty/lua-nginx-module", `^v(\d+(?:\.\d+)+)$`, []string{"src"}},
	{"stream-lua-nginx-module", "openresty/stream-lua-nginx-module", `^v(\d+(?:\.\d+)+)$`, []string{"src"}},
	{"headers-more-nginx-module", "openresty/headers-more-nginx-module", `^v(\d+(?:\.\d+)+)$`, []string{"src"}},
	{"njs", "nginx/njs", `^(\d+\.\d+\.\d+)$`, []string{"nginx"}},
}

type tag struct {
	name, commit string
	version      []int
}

// key names one table entry across tags.
type key struct {
	source, name, module string
}

// seen accumulates one entry's presence over a source's tags (in order).
type seen struct {
	first, last int // tag indices
	ctx         spec.Context
	args        spec.Arity
	prefix      bool
}

type result struct {
	in    input
	tags  []tag
	dirs  map[key]*seen
	vars  map[key]*seen // key.module holds the family ("http"/"stream") while collecting
	vmods map[key]string
}

func run(sources, out string, verbose bool) error {
	start := time.Now()
	var results []*result
	var tsv strings.Builder
	for _, in := range inputs {
		gitDir, err := findMirror(sources, in.repo)
		if err != nil {
			return err
		}
		r, err := scan(gitDir, in, verbose)
		if err != nil {
			return fmt.Errorf("%s: %w", in.repo, err)
		}
		for _, t := range r.tags {
			fmt.Fprintf(&tsv, "github.com/%s\t%s\t%s\n", in.repo, t.name, t.commit)
		}
		results = append(results, r)
		if verbose {
			fmt.Fprintf(os.Stderr, "%s: %d tags, %d directives, %d variables (%v)\n",
				in.repo, len(r.tags), len(r.dirs), len(r.vars), time.Since(start).Round(time.Millisecond))
		}
	}
	src, err := render(results)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "table_gen.go"), src, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "inputs.tsv"), []byte("# repository\ttag\tcommit\n"+tsv.String()), 0o644)
}

// findMirror returns the bare git directory of repo under sources.
func findMirror(sources, repo string) (string, error) {
	base := filepath.Join(sources, strings.ReplaceAll(repo, "/", "+"))
	for _, dir := range []string{filepath.Join(base, "repo"), base} {
		if _, err := os.Stat(filepath.Join(dir, "HEAD")); err == nil {
			return dir, nil
		}
	}
	return "", fmt.Errorf("no git mirror of %s under %s", repo, sources)
}

func git(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", append([]string{"--git-dir", dir}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

func listTags(dir, pattern string) ([]tag, error) {
	re := regexp.MustCompile(pattern)
	out, err := git(dir, "for-each-ref", "--format=%(refname:short) %(objectname) %(*objectname)", "refs/tags")
	if err != nil {
		return nil, err
	}
	var tags []tag
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		m := re.FindStringSubmatch(f[0])
		if m == nil {
			continue
		}
		commit := f[len(f)-1] // the peeled commit of an annotated tag
		t := tag{name: f[0], commit: commit}
		for _, p := range strings.Split(m[1], ".") {
			n, _ := strconv.Atoi(p)
			t.version = append(t.version, n)
		}
		tags = append(tags, t)
	}
	sort.Slice(tags, func(i, j int) bool { return lessInts(tags[i].version, tags[j].version) })
	return tags, nil
}

func lessInts(a, b []int) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) < len(b)
}

type treeFile struct{ path, blob string }

func scan(dir string, in input, verbose bool) (*result, error) {
	tags, err := listTags(dir, in.tagRE)
	if err != nil {
		return nil, err
	}
	if len(tags) == 0 {
		return nil, fmt.Errorf("no release tags match %s", in.tagRE)
	}
	trees := make([][]treeFile, len(tags))
	var blobs []string
	known := map[string]bool{}
	for i, t := range tags {
		out, err := git(dir, append([]string{"ls-tree", "-r", "-z", t.commit, "--"}, in.dirs...)...)
		if err != nil {
			return nil, err
		}
		for _, rec := range strings.Split(string(out), "\x00") {
			meta, p, ok := strings.Cut(rec, "\t")
			f := strings.Fields(meta)
			if !ok || len(f) != 3 || f[1] != "blob" || !(strings.HasSuffix(p, ".c") || strings.HasSuffix(p, ".h")) {
				continue
			}
			trees[i] = append(trees[i], treeFile{p, f[2]})
			if !known[f[2]] {
				known[f[2]] = true
				blobs = append(blobs, f[2])
			}
		}
	}
	names := map[string]string{} // blob -> a path it has, for parseC's file-name cases
	for _, tr := range trees {
		for _, f := range tr {
			names[f.blob] = f.path
		}
	}
	facts, err := parseBlobs(dir, blobs, names)
	if err != nil {
		return nil, err
	}
	r := &result{in: in, tags: tags, dirs: map[key]*seen{}, vars: map[key]*seen{}, vmods: map[key]string{}}
	unknown := map[string]bool{}
	for i, tr := range trees {
		defines := map[string]string{}
		for _, f := range tr {
			for k, v := range facts[f.blob].defines {
				defines[k] = v
			}
		}
		for _, f := range tr {
			ff := facts[f.blob]
			for _, c := range ff.commands {
				if stub(c.handler) {
					continue
				}
				ctx, args, bad := resolveFlags(c.flags, defines)
				for _, b := range bad {
					unknown[b] = true
				}
				k := key{in.source, c.name, commandModule(f.path, ff, c.array)}
				note(r.dirs, k, i, func(s *seen) { s.ctx, s.args = ctx, args })
			}
			mod := fileModule(f.path, ff)
			fam := "http"
			if strings.HasPrefix(mod, "ngx_stream_") {
				fam = "stream"
			}
			for _, v := range ff.vars {
				k := key{in.source, v.name, fam}
				note(r.vars, k, i, func(s *seen) { s.prefix = v.prefix })
				r.vmods[k] = mod
			}
			for _, p := range ff.prefixes {
				k := key{in.source, p, fam}
				note(r.vars, k, i, func(s *seen) { s.prefix = true })
				if _, ok := r.vmods[k]; !ok || i == len(tags)-1 {
					r.vmods[k] = mod
				}
			}
		}
	}
	if verbose && len(unknown) > 0 {
		var u []string
		for k := range unknown {
			u = append(u, k)
		}
		sort.Strings(u)
		fmt.Fprintf(os.Stderr, "%s: unresolved flag macros: %s\n", in.repo, strings.Join(u, " "))
	}
	return r, nil
}

// stub reports a set function that only warns or fails: nginx keeps a
// removed directive's name for a while (spdy_* in the HTTP/2 module,
// http2_push since 1.25.1, the *_upstream_max_fails of 0.8) so that old
// configurations get a clear message. Such a directive counts as gone.
func stub(handler string) bool {
	return strings.Contains(handler, "obsolete") || strings.HasSuffix(handler, "_unsupported") ||
		strings.HasSuffix(handler, "_spdy_deprecated")
}

// note records that entry k exists at tag i; update sets its form, and
// runs for every tag so the newest form wins.
func note(m map[key]*seen, k key, i int, update func(*seen)) {
	s := m[k]
	if s == nil {
		s = &seen{first: i}
		m[k] = s
	}
	s.last = i
	update(s)
}

// parseBlobs reads every blob through one `git cat-file --batch` and
// parses each once.
func parseBlobs(dir string, blobs []string, names map[string]string) (map[string]*fileFacts, error) {
	cmd := exec.Command("git", "--git-dir", dir, "cat-file", "--batch")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		w := bufio.NewWriter(stdin)
		for _, b := range blobs {
			fmt.Fprintln(w, b)
		}
		w.Flush()
		stdin.Close()
	}()
	rd := bufio.NewReaderSize(stdout, 1<<20)
	facts := make(map[string]*fileFacts, len(blobs))
	for range blobs {
		header, err := rd.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("cat-file: %v", err)
		}
		f := strings.Fields(header)
		if len(f) != 3 {
			return nil, fmt.Errorf("cat-file: unexpected %q", strings.TrimSpace(header))
		}
		size, err := strconv.Atoi(f[2])
		if err != nil {
			return nil, fmt.Errorf("cat-file: bad size in %q", strings.TrimSpace(header))
		}
		buf := make([]byte, size+1) // content and its trailing newline
		if _, err := io.ReadFull(rd, buf); err != nil {
			return nil, fmt.Errorf("cat-file: %v", err)
		}
		facts[f[0]] = parseC(names[f[0]], buf[:size])
	}
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("cat-file: %v", err)
	}
	return facts, nil
}

// commandModule names the module a commands array belongs to: the
// ngx_module_t that lists it, else the file's own module.
func commandModule(p string, f *fileFacts, array string) string {
	for _, m := range f.modules {
		for _, id := range m.body {
			if id == array {
				return m.name
			}
		}
	}
	return fileModule(p, f)
}

// fileModule names the module a file's variables belong to: the module
// named after the file, else its first module, else a module derived from
// the file name (ngx_http_variables.c declares the core module's).
func fileModule(p string, f *fileFacts) string {
	base := strings.TrimSuffix(path.Base(p), ".c")
	for _, m := range f.modules {
		if m.name == base {
			return m.name
		}
	}
	if len(f.modules) > 0 {
		return f.modules[0].name
	}
	switch base {
	case "ngx_http_variables":
		return "ngx_http_core_module"
	case "ngx_stream_variables":
		return "ngx_stream_core_module"
	}
	if strings.HasSuffix(base, "_module") {
		return base
	}
	return base + "_module"
}

// The NGX_*_CONF context macros. IMAP is the mail module's name before
// 0.5.6.
var contextMacros = map[string]spec.Context{
	"NGX_MAIN_CONF":        spec.Main,
	"NGX_DIRECT_CONF":      spec.Direct,
	"NGX_ANY_CONF":         spec.Any,
	"NGX_EVENT_CONF":       spec.Events,
	"NGX_HTTP_MAIN_CONF":   spec.HTTPMain,
	"NGX_HTTP_SRV_CONF":    spec.HTTPServer,
	"NGX_HTTP_LOC_CONF":    spec.HTTPLocation,
	"NGX_HTTP_UPS_CONF":    spec.HTTPUpstream,
	"NGX_HTTP_SIF_CONF":    spec.HTTPIfServer,
	"NGX_HTTP_LIF_CONF":    spec.HTTPIfLocation,
	"NGX_HTTP_LMT_CONF":    spec.HTTPLimitExcept,
	"NGX_STREAM_MAIN_CONF": spec.StreamMain,
	"NGX_STREAM_SRV_CONF":  spec.StreamServer,
	"NGX_STREAM_UPS_CONF":  spec.StreamUpstream,
	"NGX_MAIL_MAIN_CONF":   spec.MailMain,
	"NGX_MAIL_SRV_CONF":    spec.MailServer,
	"NGX_IMAP_MAIN_CONF":   spec.MailMain,
	"NGX_IMAP_SRV_CONF":    spec.MailServer,
	"NGX_IMAP_IMAP_CONF":   spec.MailServer,
	"NGX_IMAP_POP3_CONF":   spec.MailServer,
}

// takes maps the NGX_CONF_TAKE* macros to the argument counts they allow.
var takes = map[string][]int{
	"NGX_CONF_NOARGS": {0}, "NGX_CONF_TAKE1": {1}, "NGX_CONF_TAKE2": {2},
	"NGX_CONF_TAKE3": {3}, "NGX_CONF_TAKE4": {4}, "NGX_CONF_TAKE5": {5},
	"NGX_CONF_TAKE6": {6}, "NGX_CONF_TAKE7": {7},
	"NGX_CONF_TAKE12": {1, 2}, "NGX_CONF_TAKE13": {1, 3}, "NGX_CONF_TAKE23": {2, 3},
	"NGX_CONF_TAKE123": {1, 2, 3}, "NGX_CONF_TAKE1234": {1, 2, 3, 4},
}

// resolveFlags turns a command's type expression into contexts and
// arity, expanding the repository's own #defines; it returns the
// identifiers it could not resolve.
func resolveFlags(tokens []string, defines map[string]string) (spec.Context, spec.Arity, []string) {
	var ctx spec.Context
	var counts []int
	var flagArg, block, anyArgs, more1, more2 bool
	var bad []string
	var walk func(toks []string, depth int)
	walk = func(toks []string, depth int) {
		for _, t := range toks {
			if c, ok := contextMacros[t]; ok {
				ctx |= c
				continue
			}
			if n, ok := takes[t]; ok {
				counts = append(counts, n...)
				continue
			}
			switch t {
			case "NGX_CONF_FLAG":
				flagArg = true
			case "NGX_CONF_BLOCK":
				block = true
			case "NGX_CONF_ANY":
				anyArgs = true
			case "NGX_CONF_1MORE":
				more1 = true
			case "NGX_CONF_2MORE":
				more2 = true
			case "NGX_CONF_MULTI": // obsolete, no meaning
			default:
				if body, ok := defines[t]; ok && depth < 8 {
					walk(reIdent.FindAllString(body, -1), depth+1)
				} else {
					bad = append(bad, t)
				}
			}
		}
	}
	walk(tokens, 0)
	a := spec.Arity{}
	switch {
	case flagArg:
		a.Min, a.Max, a.Flag = 1, 1, true
	case anyArgs:
		a.Min, a.Max, a.Any = 0, -1, true
	case more1 || more2:
		a.Min, a.Max = 1, -1
		if more2 {
			a.Min = 2
		}
		for _, n := range counts {
			a.Min = min(a.Min, n)
		}
	case len(counts) > 0:
		a.Min, a.Max = counts[0], counts[0]
		for _, n := range counts {
			a.Min, a.Max = min(a.Min, n), max(a.Max, n)
		}
	}
	a.Block = block
	return ctx, a, bad
}

// render writes table_gen.go.
func render(results []*result) ([]byte, error) {
	type modRow struct{ name, source string }
	modIndex := map[modRow]int{}
	var mods []modRow
	type drow struct {
		k        key
		srcOrder int
		s        *seen
		r        *result
	}
	var drows, vrows []drow
	for i, r := range results {
		for k, s := range r.dirs {
			drows = append(drows, drow{k, i, s, r})
			mods = append(mods, modRow{k.module, k.source})
		}
		for k, s := range r.vars {
			vrows = append(vrows, drow{k, i, s, r})
			mods = append(mods, modRow{r.vmods[k], k.source})
		}
	}
	sort.Slice(mods, func(i, j int) bool {
		if mods[i].source != mods[j].source {
			return mods[i].source < mods[j].source
		}
		return mods[i].name < mods[j].name
	})
	uniq := mods[:0]
	for _, m := range mods {
		if _, ok := modIndex[m]; !ok {
			modIndex[m] = len(uniq)
			uniq = append(uniq, m)
		}
	}
	mods = uniq
	less := func(a, b drow) bool {
		if a.k.name != b.k.name {
			return a.k.name < b.k.name
		}
		if a.srcOrder != b.srcOrder {
			return a.srcOrder < b.srcOrder
		}
		return a.k.module < b.k.module
	}
	sort.Slice(drows, func(i, j int) bool { return less(drows[i], drows[j]) })
	sort.Slice(vrows, func(i, j int) bool { return less(vrows[i], vrows[j]) })

	nginx := results[0]
	newest := nginx.tags[len(nginx.tags)-1].version
	var latest []int
	for _, t := range nginx.tags {
		if len(t.version) > 1 && t.version[1]%2 == 0 {
			latest = t.version
		}
	}

	var b bytes.Buffer
	b.WriteString("// Code generated by internal/gen from the sources in inputs.tsv; DO NOT EDIT.\n\npackage spec\n\n")
	fmt.Fprintf(&b, "// Latest is the newest stable (even minor) nginx release the table covers.\nvar Latest = Version{%d, %d, %d}\n\n", at(latest, 0), at(latest, 1), at(latest, 2))
	fmt.Fprintf(&b, "// Newest is the newest nginx release of any kind the table covers.\nvar Newest = Version{%d, %d, %d}\n\n", at(newest, 0), at(newest, 1), at(newest, 2))
	b.WriteString("var modules = [...]moduleRow{\n")
	for _, m := range mods {
		fmt.Fprintf(&b, "{%q, %q},\n", m.name, m.source)
	}
	b.WriteString("}\n\n// name, module, contexts, min, max, kind, since, until, module since, module until\nvar directiveRows = [...]directiveRow{\n")
	for _, d := range drows {
		since, until, modSince, modUntil := span(d.r, d.s)
		kind := 0
		if d.s.args.Flag {
			kind |= 1
		}
		if d.s.args.Block {
			kind |= 2
		}
		if d.s.args.Any {
			kind |= 4
		}
		fmt.Fprintf(&b, "{%q, %d, %#x, %d, %d, %d, %#06x, %#x, %q, %q},\n",
			d.k.name, modIndex[modRow{d.k.module, d.k.source}], uint32(d.s.ctx), d.s.args.Min, d.s.args.Max, kind,
			since, until, modSince, modUntil)
	}
	b.WriteString("}\n\n// name, module, prefix, since, until\nvar variableRows = [...]variableRow{\n")
	for _, v := range vrows {
		since, until, _, _ := span(v.r, v.s)
		fmt.Fprintf(&b, "{%q, %d, %t, %#06x, %#x},\n",
			v.k.name, modIndex[modRow{v.r.vmods[v.k], v.k.source}], v.s.prefix, since, until)
	}
	b.WriteString("}\n")
	return format.Source(b.Bytes())
}

func at(v []int, i int) int {
	if i < len(v) {
		return v[i]
	}
	return 0
}

// span gives an entry's range: packed nginx versions for nginx, tag
// names for the others. The end is the first tag after the last one
// that has the entry, none when the newest tag has it.
func span(r *result, s *seen) (since, until uint32, modSince, modUntil string) {
	end := -1
	if s.last < len(r.tags)-1 {
		end = s.last + 1
	}
	if r.in.source != "nginx" {
		modSince = r.tags[s.first].name
		if end >= 0 {
			modUntil = r.tags[end].name
		}
		return 0, 0, modSince, modUntil
	}
	pack := func(v []int) uint32 { return uint32(at(v, 0)<<16 | at(v, 1)<<8 | at(v, 2)) }
	since = pack(r.tags[s.first].version)
	if end >= 0 {
		until = pack(r.tags[end].version)
	}
	return since, until, "", ""
}
