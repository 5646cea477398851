package analyzer

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer/elastic"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
	"github.com/ngxlint/ngxlint/internal/parallel"
)

// Workspace is every file of one run, parsed, with includes resolved.
type Workspace struct {
	// Files lists every loaded file once, in load order.
	Files   []*source.File
	Nginx   []*nginx.Config
	Elastic []*elastic.Settings
	// Compose holds the docker-compose files of the run; the environment
	// of a service that runs a node is already laid over that node's
	// settings (see linkCompose).
	Compose []*elastic.Compose
	byPath  map[string]*source.File
	// Dump names the nginx -T dump the nginx files were split from ("-"
	// for standard input), "" when they were read from their own files.
	// Those files are not on this machine: nothing may write them.
	Dump string

	// results memoises models (see ResultOf); made by Load.
	results *results
	// inputDirs and inputFiles are the paths named for the run (see
	// Together).
	inputDirs  []string
	inputFiles map[string]bool
}

// File returns the loaded file with this display path, or nil.
func (ws *Workspace) File(path string) *source.File { return ws.byPath[path] }

// Diagnostics returns every loader diagnostic of every file, in file order.
func (ws *Workspace) Diagnostics() []source.Diagnostic {
	var out []source.Diagnostic
	for _, c := range ws.Nginx {
		out = append(out, c.Diagnostics...)
	}
	for _, s := range ws.Elastic {
		out = append(out, s.Diagnostics...)
	}
	return out
}

// WalkNginx visits every directive of every nginx file once, pre-order.
func (ws *Workspace) WalkNginx(fn func(d *nginx.Directive)) {
	for _, c := range ws.Nginx {
		nginx.Walk(c, func(d *nginx.Directive) bool { fn(d); return true })
	}
}

// AnyNamed reports whether a directive called name satisfies match (nil:
// any does), looking only into the files whose own tree holds one
// (nginx.Config.HasName, a set each tree keeps): a rule about a rare
// directive asks it before it builds what its analysis needs.
func (ws *Workspace) AnyNamed(name string, match func(d *nginx.Directive) bool) bool {
	for _, c := range ws.Nginx {
		if !c.HasName(name) {
			continue
		}
		if match == nil {
			return true
		}
		found := false
		nginx.Walk(c, func(d *nginx.Directive) bool {
			found = found || d.Name == name && match(d)
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// LoadOptions tunes Load.
type LoadOptions struct {
	// Prefix is where the configuration lives on the server (see
	// nginx.Loader.Prefix); empty means unknown.
	Prefix string
	// Root is the folder absolute include paths resolve under, as in a
	// container image's root file system (see nginx.Loader.Root); empty:
	// looked for around the main file, then on this machine.
	Root string
	// Machine stands for this machine's file system in the last lookup
	// of an absolute include (see nginx.Loader.Machine); empty: the real
	// one. Only tests set it.
	Machine string
	// Overlay maps absolute paths to unsaved content (editor buffers,
	// standard input); it wins over the disk.
	Overlay map[string][]byte
	// Stdin is read for the path "-", named StdinName.
	Stdin     io.Reader
	StdinName string
	// WorkDir is the folder display paths are relative to; empty means
	// the process's working folder. Paths always resolve against the
	// process's working folder.
	WorkDir string
	// Limits bounds the size of each file read and of the whole run.
	Limits Limits
	// Parsed, when set, keeps parsed nginx trees from one Load to the
	// next (the language server's edits): an unchanged file is copied,
	// not parsed again (see nginx.ParseCache).
	Parsed *nginx.ParseCache
	// Admitted, when set, is called each time a file is admitted against
	// the size limits, with the bytes admitted so far in the run. A file is
	// admitted before it is parsed, so the total runs ahead of the trees
	// being built: the command line paces its garbage collector by it.
	Admitted func(total int64)
}

// UsageError marks an input problem the user must fix before linting can
// start (a missing path, unreadable standard input): exit status 2.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Load reads the named files and folders (a folder: every nginx and
// Elasticsearch settings file under it), parses them, resolves includes
// and returns the workspace. A file included by another is loaded once.
func Load(paths []string, opt LoadOptions) (*Workspace, error) {
	cwd, _ := os.Getwd()
	wd := absOrEmpty(opt.WorkDir, cwd)
	if wd == "" {
		wd = cwd
	}
	// A file named on the command line (or found in a named folder) is
	// shown as the user wrote it; others relative to wd.
	given := make(map[string]string)
	display := func(abs string) string {
		if name, ok := given[abs]; ok && opt.WorkDir == "" {
			return name
		}
		return DisplayPath(wd, abs)
	}
	overlay := make(map[string][]byte, len(opt.Overlay)+1)
	for k, v := range opt.Overlay {
		overlay[k] = v
	}

	budget := newBudget(opt.Limits, opt.Admitted)
	var inputs []input
	seen := make(map[string]bool)
	add := func(in input) {
		if !seen[in.abs] {
			seen[in.abs] = true
			inputs = append(inputs, in)
		}
	}
	for _, p := range paths {
		if p == "-" {
			in, err := readStdin(opt, cwd, overlay, budget)
			if err != nil {
				return nil, err
			}
			add(in)
			continue
		}
		found, err := expand(p, cwd)
		if err != nil {
			return nil, err
		}
		for _, in := range found {
			given[in.abs] = in.given
			add(in)
		}
	}

	ws := &Workspace{byPath: make(map[string]*source.File), results: &results{}}
	ws.inputDirs, ws.inputFiles = namedInputs(paths, cwd)
	loader := &nginx.Loader{Prefix: absOrEmpty(opt.Prefix, cwd), Root: absOrEmpty(opt.Root, cwd), Machine: absOrEmpty(opt.Machine, cwd),
		Overlay: overlay, Display: display,
		Admit:      func(_ string, size int64) error { return budget.admit(size) },
		LintedDirs: lintedDirs(paths, cwd, opt), Cache: opt.Parsed, MaxNodes: opt.Limits.MaxNodes}
	inputs, dump, err := splitDumps(inputs, overlay, display, budget, loader)
	if err != nil {
		return nil, err
	}
	if dump != nil {
		// The dump's files are all there is: its paths name another
		// machine's files, so nothing is read from this one's disk.
		ws.Dump = dump.name
		loader.Virtual, loader.Root = true, ""
		for _, f := range dump.files {
			overlay[f.Path] = f.Src
			loader.AddSource(display(f.Path), f.Path, f.Src)
		}
	}
	var settings []*source.File // elasticsearch.yml / opensearch.yml, parsed after the loop
	named := func(in input) bool { return in.kind == source.KindNginx && in.display == "" }
	for i, in := range inputs {
		if named(in) && (i == 0 || !named(inputs[i-1])) {
			// A run of named nginx files is read in order and parsed on
			// all cores; other inputs between runs keep their place in
			// the order the size budget sees the files.
			var run []string
			for _, next := range inputs[i:] {
				if !named(next) {
					break
				}
				run = append(run, next.abs)
			}
			loader.Prefetch(run)
		}
		switch in.kind {
		case source.KindNginx:
			if in.display != "" {
				loader.AddSource(in.display, in.abs, overlay[in.abs])
				continue
			}
			if _, err := loader.Load(in.abs); err != nil {
				return nil, &UsageError{fmt.Errorf("%s: %w", display(in.abs), unwrapPathError(err))}
			}
		case source.KindElastic:
			if elastic.IsComposeName(in.abs) {
				src, ok := overlay[in.abs]
				if !ok {
					var err error
					if src, err = readRegular(in.abs, budget); err != nil {
						return nil, &UsageError{fmt.Errorf("%s: %w", display(in.abs), err)}
					}
				}
				name := in.display
				if name == "" {
					name = display(in.abs)
				}
				ws.Compose = append(ws.Compose, elastic.ParseCompose(source.NewFile(name, in.abs, source.KindElastic, src)))
				continue
			}
			src, ok := overlay[in.abs]
			if !ok {
				var err error
				if src, err = readRegular(in.abs, budget); err != nil {
					return nil, &UsageError{fmt.Errorf("%s: %w", display(in.abs), err)}
				}
			}
			if len(src) > MaxSettingsSize {
				// A YAML tree costs about 90 times its text; a settings
				// file is a few kilobytes.
				return nil, &UsageError{fmt.Errorf("%s: %w: the file is %s, over the limit of %s for a settings file",
					display(in.abs), ErrTooLarge, ByteSize(int64(len(src))), ByteSize(MaxSettingsSize))}
			}
			name := in.display
			if name == "" {
				name = display(in.abs)
			}
			settings = append(settings, source.NewFile(name, in.abs, source.KindElastic, src))
		}
	}
	// Read in order above (the size budget sees the files in argument
	// order), parsed here on all cores: a YAML parse is most of what a
	// settings file costs.
	if len(settings) > 0 {
		ws.Elastic = make([]*elastic.Settings, len(settings))
		parallel.Each(len(settings), func(i int) { ws.Elastic[i] = elastic.Parse(settings[i]) })
	}
	loader.Resolve()
	ws.Nginx = loader.Configs()
	for _, c := range ws.Nginx {
		ws.addFile(c.File)
	}
	for _, s := range ws.Elastic {
		ws.addFile(s.File)
	}
	for _, c := range ws.Compose {
		ws.addFile(c.File)
	}
	ws.linkCompose()
	return ws, nil
}

// linkCompose lays the environment of each compose service that runs a
// node over that node's settings file: the file the service mounts as its
// elasticsearch.yml / opensearch.yml, or, when the run has one settings
// file and one service of a node image and was given both together (see
// Together), that file.
func (ws *Workspace) linkCompose() {
	nodeServices := 0
	for _, c := range ws.Compose {
		for _, svc := range c.Services {
			if nodeImage(svc.Image) {
				nodeServices++
			}
		}
	}
	for _, c := range ws.Compose {
		for _, svc := range c.Services {
			if len(svc.Env) == 0 && !nodeImage(svc.Image) {
				continue
			}
			var node *elastic.Settings
			for _, m := range svc.Mounts {
				for _, s := range ws.Elastic {
					if s.File.Abs == m {
						node = s
					}
				}
			}
			if node == nil && len(ws.Elastic) == 1 && nodeServices == 1 && nodeImage(svc.Image) &&
				ws.Together(c.File.Abs, ws.Elastic[0].File.Abs) {
				node = ws.Elastic[0]
			}
			if node != nil {
				node.ApplyEnv(svc)
			}
		}
	}
}

func (ws *Workspace) addFile(f *source.File) {
	if _, dup := ws.byPath[f.Path]; dup {
		return
	}
	ws.byPath[f.Path] = f
	ws.Files = append(ws.Files, f)
}

// dumpInput is an nginx -T dump among the inputs, split into its files.
type dumpInput struct {
	name  string
	files []nginx.DumpFile
}

// splitDumps finds an nginx -T dump among the nginx inputs (a named file
// or standard input) and takes it out of the inputs. A dump is linted on
// its own: its absolute paths name another machine's files, and mixing
// them with this machine's would resolve includes across both.
func splitDumps(inputs []input, overlay map[string][]byte, display func(string) string, b *budget, loader *nginx.Loader) ([]input, *dumpInput, error) {
	var dump *dumpInput
	var rest []input
	nginxInputs := 0
	// Looking at each named file's head is a few system calls a file,
	// done on all cores: `ngxlint lint /etc/nginx` names every file. A
	// file the look read whole (most configuration files are a few
	// kilobytes) is handed to the loader, which need not read it again.
	heads := make([]head, len(inputs))
	parallel.Each(len(inputs), func(i int) {
		in := inputs[i]
		if in.kind == source.KindNginx && in.display == "" {
			heads[i] = readHead(in.abs, 4096)
		}
	})
	looksLikeDump := make([]bool, len(inputs))
	for i, h := range heads {
		looksLikeDump[i] = h.info != nil && nginx.IsDump(h.bytes)
		if h.whole && !looksLikeDump[i] {
			loader.Preread(inputs[i].abs, h.info, h.bytes)
		}
	}
	for i, in := range inputs {
		if in.kind != source.KindNginx {
			rest = append(rest, in)
			continue
		}
		nginxInputs++
		src, ok := overlay[in.abs]
		name := in.display
		if in.display == "" {
			name = display(in.abs)
			var err error
			if src, ok, err = readIfDump(in.abs, looksLikeDump[i], b); err != nil {
				return nil, nil, &UsageError{fmt.Errorf("%s: %w", name, err)}
			}
		}
		files := []nginx.DumpFile(nil)
		if ok {
			files = nginx.SplitDump(src)
		}
		if files == nil {
			rest = append(rest, in)
			continue
		}
		if dump != nil {
			return nil, nil, &UsageError{fmt.Errorf("%s: only one nginx -T dump can be linted at a time (%s is another)", name, dump.name)}
		}
		if in.display != "" {
			delete(overlay, in.abs) // standard input's own name is no file of the dump
			name = "-"
		}
		dump = &dumpInput{name: name, files: files}
	}
	if dump != nil && nginxInputs > 1 {
		return nil, nil, &UsageError{fmt.Errorf("%s is an nginx -T dump: lint it on its own, without other nginx files "+
			"(its includes resolve against the files it holds)", dump.name)}
	}
	return rest, dump, nil
}

// readIfDump reads a regular file whose beginning looks like an nginx -T
// dump; ok is false (and nothing more is read) for any other file.
func readIfDump(abs string, looksLikeDump bool, b *budget) (src []byte, ok bool, err error) {
	if !looksLikeDump {
		return nil, false, nil
	}
	src, err = readRegular(abs, b)
	return src, err == nil, err
}

// head is the start of a regular file: info from its stat, and whole
// when bytes is all of it.
type head struct {
	info  fs.FileInfo
	bytes []byte
	whole bool
}

// readHead reads up to n bytes from the start of a regular file; a file
// that is missing, special or unreadable is the loader's to report, as for
// any other file, and gives a zero head.
func readHead(abs string, n int) head {
	fi, err := os.Stat(abs)
	if err != nil || !fi.Mode().IsRegular() {
		return head{}
	}
	f, err := os.Open(abs)
	if err != nil {
		return head{}
	}
	defer func() { _ = f.Close() }()
	buf := make([]byte, min(int64(n), fi.Size()+1))
	m, err := io.ReadFull(f, buf)
	// All of it: fewer bytes than asked for, exactly the size stat gave.
	whole := errors.Is(err, io.ErrUnexpectedEOF) && int64(m) == fi.Size() && m > 0
	return head{info: fi, bytes: buf[:m], whole: whole}
}

// nodeImage reports an Elasticsearch or OpenSearch image (not Kibana's or
// OpenSearch Dashboards').
func nodeImage(image string) bool {
	low := strings.ToLower(image)
	return (strings.Contains(low, "elasticsearch") || strings.Contains(low, "opensearch")) && !strings.Contains(low, "dashboards")
}

// input is one file to load; display is set for standard input only.
type input struct {
	abs, display string
	// given is the path as the user wrote it (cleaned).
	given string
	kind  source.Kind
}

func readStdin(opt LoadOptions, wd string, overlay map[string][]byte, b *budget) (input, error) {
	if opt.Stdin == nil {
		return input{}, &UsageError{errors.New("-: no standard input")}
	}
	// Read one byte past the limit, to tell "at the limit" from "over".
	src, err := io.ReadAll(io.LimitReader(opt.Stdin, min(b.maxFile, b.maxTotal-b.used)+1))
	if err != nil {
		return input{}, &UsageError{fmt.Errorf("-: reading standard input: %w", err)}
	}
	if limit := min(b.maxFile, b.maxTotal-b.used); int64(len(src)) > limit {
		return input{}, &UsageError{fmt.Errorf("-: %w: standard input is longer than %s", ErrTooLarge, ByteSize(limit))}
	}
	_ = b.admit(int64(len(src)))
	name := opt.StdinName
	if name == "" {
		name = "<stdin>"
	}
	// A named buffer lives where its name says, so that its includes
	// resolve as they would on disk.
	abs := filepath.Join(wd, name)
	if opt.StdinName != "" {
		abs = absOrEmpty(name, wd)
	}
	overlay[abs] = src
	kind, _ := Classify(name)
	return input{abs: abs, display: name, kind: kind}, nil
}

// expand turns a path argument into inputs: a file as it is (by name, a
// .yml or .yaml file, or a settings file with a suffix such as
// opensearch.yml.node1, is a settings file; anything else nginx), a folder
// walked for the files Classify accepts.
func expand(p, wd string) ([]input, error) {
	abs := absOrEmpty(p, wd)
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, &UsageError{fmt.Errorf("%s: %w", p, unwrapPathError(err))}
	}
	if !fi.IsDir() {
		kind := source.KindNginx
		if ext := strings.ToLower(filepath.Ext(abs)); ext == ".yml" || ext == ".yaml" || isSettingsName(strings.ToLower(filepath.Base(abs))) {
			kind = source.KindElastic
		}
		return []input{{abs: abs, given: filepath.Clean(p), kind: kind}}, nil
	}
	var out []input
	err = filepath.WalkDir(abs, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			// Name the entry that failed (a subfolder without
			// permission), not the folder the user named.
			rel, _ := filepath.Rel(abs, path)
			return &walkError{path: filepath.Join(p, rel), err: unwrapPathError(err)}
		}
		name := d.Name()
		if d.IsDir() {
			if path != abs && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(name, ".") {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			// Debian's sites-enabled holds only links into
			// sites-available: a link to a regular file counts, under
			// its own name. Links to folders are not followed (loops).
			if !isRegularFile(path) {
				return nil
			}
			// A link to a file this walk finds anyway is that file.
			if target, err := filepath.EvalSymlinks(path); err == nil && within(abs, target) {
				if _, ok := Classify(target); ok {
					return nil
				}
			}
		} else if !d.Type().IsRegular() {
			return nil
		}
		if kind, ok := Classify(path); ok || elastic.IsComposeName(path) {
			if !ok {
				kind = source.KindElastic // a compose file: read for its node services
			}
			rel, _ := filepath.Rel(abs, path)
			out = append(out, input{abs: path, given: filepath.Join(p, rel), kind: kind})
		}
		return nil
	})
	var we *walkError
	if errors.As(err, &we) {
		return nil, &UsageError{fmt.Errorf("%s: %w (cannot read this folder)", we.path, we.err)}
	}
	if err != nil {
		return nil, &UsageError{fmt.Errorf("%s: %w", p, unwrapPathError(err))}
	}
	if len(out) == 0 {
		// Linting nothing would pass silently: in CI, a wrong path.
		return nil, &UsageError{fmt.Errorf("%s: no nginx configuration (*.conf, *.nginx, nginx.conf*, sites-enabled/*) "+
			"or elasticsearch.yml / opensearch.yml found in this folder; name a file to lint it whatever its name", p)}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].abs < out[j].abs })
	return out, nil
}

// Classify tells whether a file found in a folder is one ngxlint reads:
// elasticsearch.yml / opensearch.yml (and .yaml), also with a suffix
// (opensearch.yml.node1, elasticsearch.yml.j2: copies per node and
// templates are still YAML), *.conf, *.nginx, nginx.conf*, and the files
// of sites-available/sites-enabled, which are often named after their
// domain (example.org) rather than given an extension.
func Classify(path string) (source.Kind, bool) {
	base := strings.ToLower(filepath.Base(path))
	if isSettingsName(base) {
		return source.KindElastic, true
	}
	if strings.HasSuffix(base, ".conf") || strings.HasSuffix(base, ".nginx") || strings.HasPrefix(base, "nginx.conf") {
		return source.KindNginx, true
	}
	switch filepath.Base(filepath.Dir(path)) {
	case "sites-available", "sites-enabled":
		if !notAVhost(base) {
			return source.KindNginx, true
		}
	}
	return source.KindNginx, false
}

// isSettingsName reports elasticsearch.yml / opensearch.yml (or .yaml),
// alone or followed by a suffix after a dot.
func isSettingsName(base string) bool {
	for _, stem := range []string{"elasticsearch.yml", "elasticsearch.yaml", "opensearch.yml", "opensearch.yaml"} {
		if rest, ok := strings.CutPrefix(base, stem); ok && (rest == "" || (strings.HasPrefix(rest, ".") && len(rest) > 1)) {
			return true
		}
	}
	return false
}

// notAVhostExt are the extensions of files that sit in sites-* folders
// without being configuration: notes, scripts, data, backups, package
// manager leftovers and templates not yet rendered.
var notAVhostExt = map[string]bool{
	".md": true, ".txt": true, ".rst": true, ".yml": true, ".yaml": true, ".json": true,
	".sh": true, ".py": true, ".bak": true, ".orig": true, ".old": true, ".swp": true,
	".save": true, ".dpkg-dist": true, ".dpkg-old": true, ".dpkg-new": true,
	".rpmnew": true, ".rpmsave": true, ".j2": true, ".tmpl": true, ".tpl": true,
	".erb": true, ".template": true,
}

// notAVhost reports a file of a sites-* folder that is not a vhost: a
// backup (name~) or a file whose extension says it is something else.
// Any other name (example.org, default, 000-default) is a vhost.
func notAVhost(base string) bool {
	return strings.HasSuffix(base, "~") || notAVhostExt[filepath.Ext(base)]
}

// DisplayPath is abs relative to wd when it lies under wd, else abs.
func DisplayPath(wd, abs string) string {
	if wd == "" {
		return abs
	}
	rel, err := filepath.Rel(wd, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return abs
	}
	return rel
}

func absOrEmpty(p, wd string) string {
	if p == "" {
		return ""
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(wd, p)
	}
	return filepath.Clean(p)
}

// ReadOne reads a file a command takes by itself (ngxlint fmt) with the
// checks a lint's load makes: a regular file (never a FIFO or a device),
// no larger than the per-file limit of l.
func ReadOne(abs string, l Limits) ([]byte, error) {
	return readRegular(abs, newBudget(Limits{MaxFileSize: l.MaxFileSize, MaxTotalSize: -1}, nil))
}

// readRegular reads a regular file only: never a FIFO or a device, which
// could block or stream forever.
func readRegular(abs string, b *budget) ([]byte, error) {
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, unwrapPathError(err)
	}
	if !fi.Mode().IsRegular() {
		return nil, nginx.NotRegular(fi)
	}
	if err := b.admit(fi.Size()); err != nil {
		return nil, err
	}
	src, err := nginx.ReadAtMost(abs, fi.Size())
	return src, unwrapPathError(err)
}

// unwrapPathError drops the path from *fs.PathError: callers print the
// display path themselves.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// lintedDirs are the folders a run lints: each named folder, the folder of
// each named file (and of standard input's name), and the prefix. Files
// included from elsewhere are not quoted in reports (source.File.Opaque).
func lintedDirs(paths []string, cwd string, opt LoadOptions) []string {
	var dirs []string
	for _, p := range paths {
		if p == "-" {
			p = opt.StdinName
			if p == "" {
				dirs = append(dirs, cwd)
				continue
			}
		}
		abs := absOrEmpty(p, cwd)
		if fi, err := os.Stat(abs); err == nil && fi.IsDir() {
			dirs = append(dirs, abs)
		} else {
			dirs = append(dirs, filepath.Dir(abs))
		}
	}
	if opt.Prefix != "" {
		dirs = append(dirs, absOrEmpty(opt.Prefix, cwd))
	}
	return dirs
}

// namedInputs splits the paths named for the run into folders and files
// (absolute); standard input names neither.
func namedInputs(paths []string, cwd string) (dirs []string, files map[string]bool) {
	files = map[string]bool{}
	for _, p := range paths {
		if p == "-" {
			continue
		}
		abs := absOrEmpty(p, cwd)
		if fi, err := os.Stat(abs); err == nil && fi.IsDir() {
			dirs = append(dirs, abs)
		} else {
			files[abs] = true
		}
	}
	return dirs, files
}

// Together reports whether two loaded files were given to the run
// together: both named on the command line, or both found under one named
// folder. Linting two unrelated projects in one run (two named folders)
// must not pair one project's nginx with the other's node. A workspace
// loaded without paths (tests, the language server's overlay) counts
// every pair as together.
func (ws *Workspace) Together(a, b string) bool {
	if len(ws.inputDirs) == 0 && len(ws.inputFiles) == 0 {
		return true
	}
	if ws.inputFiles[a] && ws.inputFiles[b] {
		return true
	}
	for _, d := range ws.inputDirs {
		if within(d, a) && within(d, b) {
			return true
		}
	}
	return false
}

// walkError is a failure inside a folder walk, at the entry it concerns.
type walkError struct {
	path string
	err  error
}

func (e *walkError) Error() string { return e.path + ": " + e.err.Error() }

// within reports whether path lies in (or is) dir.
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// isRegularFile follows links: true for a regular file.
func isRegularFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}
