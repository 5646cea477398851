package nginx

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ngxlint/ngxlint/analyzer/source"
	"github.com/ngxlint/ngxlint/internal/parallel"
)

// Loader loads nginx files and resolves their includes itself (gonginx's
// include parsing is never used: it cannot report positions, misses quoted
// paths, and would open FIFOs).
type Loader struct {
	// Prefix is where the configuration lives on the server. A main
	// file's relative includes resolve against its own folder, as nginx
	// does whatever -p says, and Prefix is a second place to look; a
	// fragment's resolve against Prefix. Empty: unknown, so a fragment's
	// base is guessed (see baseFor).
	Prefix string
	// Overlay maps absolute paths to unsaved editor content, preferred
	// over the disk.
	Overlay map[string][]byte
	// Display turns an absolute path into the path shown to users; the
	// default is relative to the working folder.
	Display func(abs string) string
	// Root, when set, is where absolute include paths resolve, as in a
	// container image's root file system: /etc/nginx/x.conf is read as
	// Root/etc/nginx/x.conf, and never from this machine.
	Root string
	// Machine is the folder that stands for this machine's file system
	// when an absolute include is looked for there as the last resort
	// (empty: the real one). Tests point it at a fixed folder so that
	// what they find does not depend on what is installed where they run.
	Machine string
	// Virtual makes Overlay the only source: the disk is never read or
	// listed. For the files of an nginx -T dump, which name paths of
	// another machine.
	Virtual bool
	// Admit, when set, is asked before a file of this size is read (its
	// size from stat, so nothing is read first); an error refuses the
	// file. Overlay content is not asked: its owner counted it.
	Admit func(abs string, size int64) error
	// LintedDirs are the folders being linted (absolute). A file reached by an
	// include outside all of them is marked opaque (source.File.Opaque):
	// reports name it but never quote it. Empty: no such check.
	LintedDirs []string
	// Cache, when set, keeps the parsed trees for the next loader that
	// uses it: unchanged files are copied from it, not parsed again.
	Cache *ParseCache
	// MaxNodes is the run's node budget; zero means the package's
	// MaxNodes.
	MaxNodes int

	// nodes counts the directives and arguments built so far (MaxNodes).
	nodes    int
	configs  []*Config
	byAbs    map[string]*Config
	resolved map[*Config]bool
	// pre holds files an include glob matched, read and parsed ahead on
	// all cores (prefetch); includeFile takes them in the glob's order.
	pre map[string]prefetched
	// preread holds files read whole before the load (see Preread).
	preread map[string]prereadFile
	// disk remembers what the file system answered during this load:
	// the files of a repository name the same includes (mime.types,
	// conf.d/*.conf), which are looked for in the same places for each.
	disk diskMemo
}

// diskMemo holds the answers of exists, glob and listable by path. The
// includes are resolved on one goroutine, so it needs no lock.
type diskMemo struct {
	exists   map[string]bool
	globs    map[string][]string
	listable map[string]error
}

// shippedFiles are the include files the nginx packages install; a miss on
// one of them is most likely a file that exists on the server.
var shippedFiles = map[string]bool{
	"mime.types": true, "fastcgi_params": true, "fastcgi.conf": true,
	"scgi_params": true, "uwsgi_params": true, "koi-utf": true,
	"koi-win": true, "win-utf": true, "snippets/fastcgi-php.conf": true,
	"snippets/snakeoil.conf": true, "proxy_params": true,
}

// budget is the run's node budget (see MaxNodes).
func (l *Loader) budget() int {
	if l.MaxNodes > 0 {
		return l.MaxNodes
	}
	return MaxNodes
}

func (l *Loader) display(abs string) string {
	if l.Display != nil {
		return l.Display(abs)
	}
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return rel
		}
	}
	return abs
}

// Load reads and parses a file once; later calls return the same Config.
// The error is only for a file that cannot be read (or is not a regular
// file).
func (l *Loader) Load(abs string) (*Config, error) {
	abs = filepath.Clean(abs)
	if c := l.byAbs[abs]; c != nil {
		return c, nil
	}
	pre, ok := l.pre[abs]
	delete(l.pre, abs)
	if !ok {
		pre.src, pre.err = l.read(abs)
	}
	if pre.err != nil {
		return nil, pre.err
	}
	return l.takePrefetched(abs, pre), nil
}

// Prefetch reads the files of paths, in order, and parses them on all
// cores, for the Load calls that follow in the same order (the files a
// user names: `ngxlint lint /etc/nginx` names every file of the folder).
// Nothing is added to the loader until Load takes a file.
func (l *Loader) Prefetch(paths []string) {
	clean := make([]string, len(paths))
	for i, p := range paths {
		clean[i] = filepath.Clean(p)
	}
	l.prefetch(clean)
}

// takePrefetched adds a file read (and perhaps parsed) ahead. A tree
// parsed ahead counts against the run's node budget as a sequential parse
// would; past the budget, the file is parsed again with what is left (the
// cut lands where it would have).
func (l *Loader) takePrefetched(abs string, pre prefetched) *Config {
	if pre.cfg != nil && pre.used <= l.budget()-l.nodes {
		l.nodes += pre.used
		return l.addParsed(abs, pre.cfg)
	}
	return l.add(l.display(abs), abs, pre.src)
}

// AddSource parses a buffer (stdin, an editor) under a display path; abs
// may be "" for a buffer with no file. A buffer whose abs is already
// loaded returns the loaded Config: put unsaved text in Overlay before
// loading anything instead.
func (l *Loader) AddSource(display, abs string, src []byte) *Config {
	if abs != "" {
		abs = filepath.Clean(abs)
		if c := l.byAbs[abs]; c != nil {
			return c
		}
	}
	return l.add(display, abs, src)
}

func (l *Loader) add(display, abs string, src []byte) *Config {
	c, used := l.Cache.parse(display, abs, src, l.budget()-l.nodes, l.budget())
	l.nodes += used
	return l.addParsed(abs, c)
}

func (l *Loader) addParsed(abs string, c *Config) *Config {
	if l.byAbs == nil {
		l.byAbs = map[string]*Config{}
	}
	if abs != "" {
		l.byAbs[abs] = c
	}
	l.configs = append(l.configs, c)
	return c
}

// prereadFile is a regular file read whole before the load, with its stat.
type prereadFile struct {
	info fs.FileInfo
	src  []byte
}

// Preread hands the loader a regular file that was read whole, as fi
// described it just before, so that loading it reads nothing again (a
// named file whose head was read to tell an nginx -T dump, most of them
// whole). It is still admitted against the size budget when loaded. For a
// loader without a parse cache only: the cache wants its own read times.
func (l *Loader) Preread(abs string, fi fs.FileInfo, src []byte) {
	if l.Cache != nil || !fi.Mode().IsRegular() || int64(len(src)) != fi.Size() {
		return
	}
	if l.preread == nil {
		l.preread = map[string]prereadFile{}
	}
	l.preread[filepath.Clean(abs)] = prereadFile{fi, src}
}

// read returns the overlay or the disk content of a regular file. It stats
// before opening: a FIFO or a device must never be opened.
func (l *Loader) read(abs string) ([]byte, error) {
	if src, ok := l.Overlay[abs]; ok {
		return src, nil
	}
	if l.Virtual {
		return nil, &fs.PathError{Op: "open", Path: abs, Err: errNotInDump}
	}
	if p, ok := l.preread[abs]; ok {
		delete(l.preread, abs)
		if l.Admit != nil {
			if err := l.Admit(abs, p.info.Size()); err != nil {
				return nil, err
			}
		}
		return p.src, nil
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "open", Path: abs, Err: errNotRegular(fi)}
	}
	if l.Admit != nil {
		if err := l.Admit(abs, fi.Size()); err != nil {
			return nil, err
		}
	}
	if src, ok := l.Cache.unchanged(abs, fi); ok {
		return src, nil
	}
	readAt := time.Now()
	src, err := ReadAtMost(abs, fi.Size())
	if err == nil {
		l.Cache.remember(abs, fi, src, readAt)
	}
	return src, err
}

// opaqueReason says why an included file must not be quoted, or "";
// what is the file's notConfig.
func (l *Loader) opaqueReason(abs, what string) string {
	if what != "" {
		return what
	}
	if len(l.LintedDirs) == 0 {
		return ""
	}
	for _, r := range l.LintedDirs {
		if rel, err := filepath.Rel(r, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return ""
		}
	}
	return "it is included from outside the folders being linted"
}

// notConfig recognises content that is not nginx configuration at all and
// is likely to be secret: binary data, or an environment file (most lines
// KEY=value). It returns a description, or "".
func notConfig(src []byte) string {
	head := src[:min(len(src), 8192)]
	control := 0
	for _, b := range head {
		if b < 0x20 && b != '\t' && b != '\n' && b != '\r' || b == 0x7f {
			control++
		}
	}
	if bytes.IndexByte(head, 0) >= 0 || control > len(head)/20 {
		return "it is binary data, not nginx configuration"
	}
	lines, env := 0, 0
	for line := range bytes.Lines(head) { // not split into strings: this runs on every file
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		lines++
		if isEnvLine(line) {
			env++
		}
	}
	if lines > 0 && 2*env >= lines {
		return "it looks like an environment file (KEY=value lines), not nginx configuration"
	}
	return ""
}

// isEnvLine matches "KEY=value" and "export KEY=value".
func isEnvLine(line []byte) bool {
	line = bytes.TrimPrefix(line, []byte("export "))
	key, _, ok := bytes.Cut(line, []byte("="))
	if !ok || len(key) == 0 {
		return false
	}
	for i, r := range string(key) { // no copy: the conversion is only ranged over
		letter := r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z'
		later := i > 0 && (r >= '0' && r <= '9' || r == '.')
		if !letter && !later {
			return false
		}
	}
	return true
}

// ReadAtMost reads a file expected to hold size bytes, and refuses it if
// it has grown past that since it was measured: a file that keeps growing
// (a log, /dev/zero behind a symlink swapped in) must not be read forever.
func ReadAtMost(abs string, size int64) ([]byte, error) {
	f, err := openRead(abs)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	// Room for the expected size from the start (io.ReadAll would grow
	// its buffer a dozen times and leave twice the file behind), capped
	// so that a size that lies cannot reserve gigabytes; made, not grown
	// by a bytes.Buffer, which cleared the whole buffer before the read
	// filled it (a millisecond of a 10 MB file's load, before anything
	// else can start).
	if b, ok := readHalves(f, size); ok {
		return b, nil
	}
	r := io.LimitReader(f, size+1)
	b := make([]byte, 0, int(min(size, 64<<20))+1)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	switch {
	case size == 0 && len(b) > 0:
		return nil, errors.New("reports a size of 0 but has content (a /proc or other virtual file); not read")
	case int64(len(b)) > size:
		return nil, fmt.Errorf("grew past its %d bytes while being read", size)
	}
	return b, nil
}

// halvesFrom is the size from which a file is read in two halves at once.
// A variable for the tests.
var halvesFrom int64 = 1 << 20

// readHalves reads a large file's size bytes in two halves at once, and
// checks that nothing follows them: the read of the 10 MB file (the copy,
// and the faults of a fresh buffer) was 7 to 12 ms on one core, the other
// idle, before anything else could start. It reports false for a small
// file, or one that is not size bytes long now, which the caller then
// reads the ordinary way.
func readHalves(f *os.File, size int64) ([]byte, bool) {
	if size < halvesFrom || size > 64<<20 {
		return nil, false
	}
	b := make([]byte, size+1)
	at := [3]int64{0, size / 2, size}
	var short [2]bool // ReadAt reads the whole range or says why not
	parallel.Each(2, func(i int) {
		n, _ := f.ReadAt(b[at[i]:at[i+1]], at[i])
		short[i] = int64(n) < at[i+1]-at[i]
	})
	if short[0] || short[1] {
		return nil, false // shrunk, or a read failed
	}
	if n, _ := f.ReadAt(b[size:], size); n > 0 {
		return nil, false // it grew: the ordinary read says so
	}
	return b[:size], true
}

// errNotInDump is the read error of a virtual file set that lacks a file.
var errNotInDump = errors.New("not in the nginx -T dump")

type notRegularError struct{ what string }

func (e notRegularError) Error() string { return "is " + e.what + ", not a regular file" }

// MayInclude reports whether the first limit bytes of the file at abs
// hold the word include, so that other files may be read with it: true
// when that cannot be told (unreadable, or not a regular file, which the
// loader refuses), and never opening a FIFO or a device.
func MayInclude(abs string, limit int64) bool {
	fi, err := os.Stat(abs)
	if err != nil || !fi.Mode().IsRegular() {
		return true
	}
	f, err := os.Open(abs)
	if err != nil {
		return true
	}
	defer func() { _ = f.Close() }()
	b, err := io.ReadAll(io.LimitReader(f, limit))
	return err != nil || bytes.Contains(b, []byte("include"))
}

// NotRegular says what a file that is not a regular file is ("is a FIFO,
// not a regular file"), for every reader that refuses one.
func NotRegular(fi fs.FileInfo) error { return errNotRegular(fi) }

func errNotRegular(fi fs.FileInfo) error {
	switch m := fi.Mode(); {
	case m.IsDir():
		return notRegularError{"a directory"}
	case m&fs.ModeNamedPipe != 0:
		return notRegularError{"a FIFO"}
	case m&(fs.ModeDevice|fs.ModeCharDevice) != 0:
		return notRegularError{"a device"}
	case m&fs.ModeSocket != 0:
		return notRegularError{"a socket"}
	}
	return notRegularError{"a special file"}
}

// Configs returns every loaded file in load order.
func (l *Loader) Configs() []*Config { return l.configs }

// Roots returns the loaded files that no include pulled in.
func (l *Loader) Roots() []*Config {
	var roots []*Config
	for _, c := range l.configs {
		if len(c.IncludedBy) == 0 {
			roots = append(roots, c)
		}
	}
	return roots
}

// guessDepth is how many parent folders a guessed include base tries.
const guessDepth = 3

// chainBase is the include base of one chain of files, from its root.
type chainBase struct {
	dir string
	// guessed is set for a file that is not a main file, whose prefix is
	// unknown: a miss is then only an info, and parent folders are tried.
	guessed bool
	// also is a second folder to look in (--prefix beside a main file's
	// own folder).
	also string
	// main is the folder of the chain's main file, taken as nginx's
	// prefix when an absolute include is looked for in the repository.
	main string
}

// Resolve resolves the include directives of every loaded file, loading
// the included files (once each) and, recursively, their includes. Main
// files go first so that a fragment also passed on the command line is
// resolved against the main file's base when the main file includes it.
// Resolve may be called again after more files are loaded.
func (l *Loader) Resolve() {
	if l.resolved == nil {
		l.resolved = map[*Config]bool{}
	}
	explicit := append([]*Config(nil), l.configs...)
	for _, fragments := range []bool{false, true} {
		for _, c := range explicit {
			if l.resolved[c] || len(c.IncludedBy) > 0 || looksLikeFragment(c) != fragments {
				continue
			}
			l.resolveConfig(c, l.baseFor(c), []frame{{cfg: c}})
		}
	}
	// Files whose includes were all resolved above; anything left (a
	// file reached only through a cycle) gets its own folder.
	for i := 0; i < len(l.configs); i++ {
		if c := l.configs[i]; !l.resolved[c] {
			l.resolveConfig(c, chainBase{dir: l.rootDir(c), guessed: true, main: l.rootDir(c)}, []frame{{cfg: c}})
		}
	}
	for _, c := range l.configs {
		if len(c.IncludedBy) == 0 {
			c.Implied = impliedContext(c)
		} else {
			c.Implied = nil
		}
	}
	link(l.configs)
}

// baseFor decides where the relative includes of a root file resolve.
// nginx resolves them against the folder of its main file, whatever -p
// says, so a main file's own folder comes first and Prefix (where the
// configuration lives on the server) is a second place to look. Only a
// file with main-context directives is known to be a main file; anything
// else (a fragment, a snippet of includes) is included from a folder we
// must guess, unless Prefix names it.
func (l *Loader) baseFor(c *Config) chainBase {
	switch {
	case looksLikeMain(c):
		base := chainBase{dir: l.rootDir(c)}
		if l.Prefix != "" && l.Prefix != base.dir {
			base.also = l.Prefix
		}
		base.main = base.dir
		return base
	case l.Prefix != "":
		return chainBase{dir: l.Prefix, main: l.Prefix}
	}
	return chainBase{dir: l.rootDir(c), guessed: true, main: l.rootDir(c)}
}

func (l *Loader) rootDir(c *Config) string {
	if c.File.Abs != "" {
		return filepath.Dir(c.File.Abs)
	}
	if wd, err := os.Getwd(); err == nil {
		return wd
	}
	return "."
}

// frame is one level of the include stack: a file and the include
// directive that pulled it in (nil for the root).
type frame struct {
	cfg *Config
	via *Directive
}

func (l *Loader) resolveConfig(c *Config, base chainBase, stack []frame) {
	l.resolved[c] = true
	for _, d := range c.includeDirectives() {
		l.resolveInclude(c, d, base, stack)
	}
}

// resolveInclude resolves one include directive of c.
func (l *Loader) resolveInclude(c *Config, d *Directive, base chainBase, stack []frame) {
	if len(d.Args) != 1 {
		addDiag(c, SyntaxCode, d.NameSpan(), false,
			fmt.Sprintf(`"include" takes exactly one file name or pattern, not %d`, len(d.Args)))
		return
	}
	arg := d.Args[0]
	if arg.Value == "" {
		addDiag(c, IncludeErrorCode, arg.Span(), false, `"include" has an empty file name`)
		return
	}
	res, err := l.expand(arg.Value, base)
	if errors.Is(err, fs.ErrPermission) {
		addDiag(c, IncludeErrorCode, arg.Span(), false, fmt.Sprintf("cannot include %q: %v", arg.Value, err))
		return
	}
	if err != nil {
		addDiag(c, IncludeErrorCode, arg.Span(), false, fmt.Sprintf("bad include pattern %q: %v", arg.Value, err))
		return
	}
	if len(res.paths) == 0 && !res.glob {
		l.reportMissing(c, d, base, res)
		return
	}
	if res.host {
		l.reportHost(c, d, res)
	}
	l.prefetch(res.paths)
	for _, p := range res.paths {
		l.includeFile(c, d, p, base, stack)
	}
}

// resolution is where an include path led.
type resolution struct {
	paths []string
	glob  bool
	// host is set when an absolute path was found on this machine only,
	// not in the repository around the main file.
	host bool
	// repo is where an absolute path was looked for in the repository
	// (the likeliest place, for messages); "" when it was not.
	repo string
	// rooted is set when the path was looked for under Root.
	rooted bool
}

// expand joins an include path with the base and expands a pattern. A
// non-pattern path that does not exist yields no paths (the caller
// reports it); for a fragment the parent folder is tried as well, since
// conf.d/ and sites-enabled/ usually sit one level below the main file.
func (l *Loader) expand(path string, base chainBase) (res resolution, err error) {
	res.glob = strings.ContainsAny(path, "*?[")
	if filepath.IsAbs(path) && !l.Virtual {
		return l.expandAbs(filepath.Clean(path), base, res.glob)
	}
	dirs := []string{base.dir}
	if base.also != "" && !filepath.IsAbs(path) {
		dirs = append(dirs, base.also)
	}
	if base.guessed && !filepath.IsAbs(path) {
		// Snippets sit up to a few levels below the main file
		// (conf.d/, sites-enabled/, h5bp/location/, ...).
		dirs = append(dirs, parents(base.dir)...)
	}
	for _, dir := range dirs {
		full := path
		if !filepath.IsAbs(full) {
			full = filepath.Join(dir, full)
		}
		if res.paths, err = l.lookup(filepath.Clean(full), res.glob); err != nil || len(res.paths) > 0 {
			return res, err
		}
		// filepath.Glob hides I/O errors: a folder it could not list
		// looks empty. Say so instead of matching nothing.
		if dir := filepath.Dir(full); !strings.ContainsAny(dir, "*?[") {
			if err := l.listable(dir); errors.Is(err, fs.ErrPermission) {
				return resolution{glob: res.glob}, fmt.Errorf("cannot list the folder %s: %w", l.display(dir), fs.ErrPermission)
			}
		}
	}
	return res, nil
}

// parents returns up to guessDepth parent folders of dir, nearest first.
func parents(dir string) []string {
	var out []string
	for i := 0; i < guessDepth && filepath.Dir(dir) != dir; i++ {
		dir = filepath.Dir(dir)
		out = append(out, dir)
	}
	return out
}

// lookup returns full when it exists, or the matches of a pattern.
func (l *Loader) lookup(full string, glob bool) ([]string, error) {
	if glob {
		return l.glob(full)
	}
	if l.exists(full) {
		return []string{full}, nil
	}
	return nil, nil
}

// expandAbs resolves an absolute include. Under Root it is read there
// only. Otherwise, when the main file lives where the path points (linting
// /etc/nginx on the server itself), the path is read as written; when it
// does not (a repository that names its includes as they will be on the
// server), the path is first looked for around the main file, taken as
// nginx's prefix, and only then on this machine, which the caller reports.
func (l *Loader) expandAbs(path string, base chainBase, glob bool) (resolution, error) {
	res := resolution{glob: glob}
	var err error
	if l.Root != "" {
		res.rooted = true
		res.paths, err = l.lookup(filepath.Join(l.Root, path), glob)
		return res, err
	}
	prefixes := []string{base.main}
	if base.also != "" {
		prefixes = append(prefixes, base.also) // --prefix: where the configuration lives
	}
	if base.guessed {
		// Never the file system's root: every absolute path is "around"
		// it, so this machine's files would pass for the repository's.
		for _, p := range parents(base.main) {
			if filepath.Dir(p) != p {
				prefixes = append(prefixes, p)
			}
		}
	}
	for _, p := range prefixes {
		if p == "" || inPlace(p, filepath.Dir(path)) {
			res.paths, err = l.lookup(path, glob)
			return res, err
		}
	}
	for _, p := range prefixes {
		for _, rest := range tails(path, glob) {
			if res.paths, err = l.lookup(filepath.Join(p, rest), glob); err != nil || len(res.paths) > 0 {
				return res, err
			}
		}
	}
	res.repo = filepath.Join(base.main, likelyTail(path))
	res.paths, err = l.lookup(filepath.Join(cmp.Or(l.Machine, "/"), path), glob)
	res.host = len(res.paths) > 0
	return res, err
}

// inPlace reports whether a main file in folder main lives where an
// include's folder dir is, one inside the other: then the configuration
// is being linted where it runs.
func inPlace(main, dir string) bool {
	return within(main, dir) || within(dir, main)
}

// within reports whether path is dir or lies under it.
func within(path, dir string) bool {
	if path == dir || dir == string(filepath.Separator) {
		return true
	}
	return strings.HasPrefix(path, dir+string(filepath.Separator))
}

// tails returns the relative paths an absolute include may have under the
// folder taken as nginx's prefix, longest first: /etc/nginx/conf.d/x.conf
// gives etc/nginx/conf.d/x.conf, nginx/conf.d/x.conf, conf.d/x.conf and
// x.conf. The longest is the least likely to match by chance. A pattern
// keeps at least one folder: conf.d/*.conf taken as *.conf would match the
// main file's own neighbours, the main file among them.
func tails(path string, glob bool) []string {
	parts := strings.Split(strings.TrimPrefix(filepath.ToSlash(path), "/"), "/")
	var out []string
	for i := range parts {
		if glob && i == len(parts)-1 {
			break
		}
		out = append(out, filepath.FromSlash(strings.Join(parts[i:], "/")))
	}
	return out
}

// likelyTail is the tail of an absolute include under the folder that is
// most likely nginx's prefix, for messages: the path after its last
// folder named nginx or conf (/etc/nginx/conf.d/x.conf: conf.d/x.conf;
// /usr/local/nginx/conf/mime.types: mime.types), else the path under the
// parent of the include's folder.
func likelyTail(path string) string {
	parts := strings.Split(strings.TrimPrefix(filepath.ToSlash(path), "/"), "/")
	for i := len(parts) - 2; i >= 0; i-- {
		if parts[i] == "nginx" || parts[i] == "conf" {
			return filepath.FromSlash(strings.Join(parts[i+1:], "/"))
		}
	}
	return filepath.FromSlash(strings.Join(parts[max(0, len(parts)-2):], "/"))
}

func (l *Loader) exists(abs string) bool {
	if _, ok := l.Overlay[abs]; ok {
		return true
	}
	if l.Virtual {
		return false
	}
	if ok, seen := l.disk.exists[abs]; seen {
		return ok
	}
	_, err := os.Lstat(abs)
	// A file behind a folder we may not search may well exist: reading it
	// then says "permission denied", which is the truth, not "not found".
	ok := err == nil || errors.Is(err, fs.ErrPermission)
	if l.disk.exists == nil {
		l.disk.exists = map[string]bool{}
	}
	l.disk.exists[abs] = ok
	return ok
}

// listable is os.ReadDir's error for dir, asked once per folder.
func (l *Loader) listable(dir string) error {
	if err, seen := l.disk.listable[dir]; seen {
		return err
	}
	_, err := os.ReadDir(dir)
	if l.disk.listable == nil {
		l.disk.listable = map[string]error{}
	}
	l.disk.listable[dir] = err
	return err
}

// glob expands a pattern over the disk and the overlay, sorted, skipping
// hidden files unless the pattern itself names hidden files (nginx's
// glob() does not let '*' match a leading dot).
func (l *Loader) glob(pattern string) ([]string, error) {
	if _, err := filepath.Match(pattern, ""); err != nil {
		return nil, err
	}
	var matches []string
	if !l.Virtual {
		var seen bool
		if matches, seen = l.disk.globs[pattern]; !seen {
			var err error
			if matches, err = filepath.Glob(pattern); err != nil {
				return nil, err
			}
			if l.disk.globs == nil {
				l.disk.globs = map[string][]string{}
			}
			l.disk.globs[pattern] = matches
		}
		matches = slices.Clip(matches) // the overlay's are appended below
	}
	for abs := range l.Overlay {
		if ok, _ := filepath.Match(pattern, abs); ok {
			matches = append(matches, abs)
		}
	}
	hiddenPattern := strings.HasPrefix(filepath.Base(pattern), ".")
	seen := map[string]bool{}
	var out []string
	for _, m := range matches {
		m = filepath.Clean(m)
		if seen[m] || (!hiddenPattern && strings.HasPrefix(filepath.Base(m), ".")) {
			continue
		}
		seen[m] = true
		out = append(out, m)
	}
	sort.Strings(out)
	return out, nil
}

// includeFile loads one resolved path and links it to the include.
func (l *Loader) includeFile(c *Config, d *Directive, abs string, base chainBase, stack []frame) {
	span := d.Args[0].Span()
	for i, fr := range stack {
		if fr.cfg.File.Abs != abs {
			continue
		}
		diag := source.Diagnostic{Code: IncludeErrorCode, Span: span,
			Message: fmt.Sprintf("include cycle: %s is already being included higher up this chain", l.display(abs))}
		if i+1 < len(stack) {
			diag.Related = []source.Related{{Span: stack[i+1].via.Args[0].Span(), Message: "the cycle starts with this include"}}
		}
		c.Diagnostics = append(c.Diagnostics, diag)
		return
	}
	inc := l.byAbs[abs]
	if inc == nil {
		pre, ok := l.pre[abs]
		delete(l.pre, abs)
		if !ok {
			pre.src, pre.err = l.read(abs)
		}
		if pre.err != nil {
			addDiag(c, IncludeErrorCode, span, false, fmt.Sprintf("cannot include %s: %v", l.display(abs), unwrapPathErr(pre.err)))
			return
		}
		inc = l.takePrefetched(abs, pre)
		if !pre.checked {
			pre.notConfig = l.Cache.notConfig(abs, pre.src)
		}
		inc.File.Opaque = l.opaqueReason(abs, pre.notConfig)
	}
	d.addInclude(inc)
	inc.IncludedBy = append(inc.IncludedBy, d)
	if !l.resolved[inc] {
		l.resolveConfig(inc, base, append(stack[:len(stack):len(stack)], frame{cfg: inc, via: d}))
	}
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// reportMissing reports a non-pattern include that matched no file. It is
// only an info when the file may well exist where nginx runs.
func (l *Loader) reportMissing(c *Config, d *Directive, base chainBase, res resolution) {
	arg := d.Args[0]
	path := filepath.Clean(arg.Value)
	msg := fmt.Sprintf("included file %q not found", arg.Value)
	switch {
	case res.rooted:
		msg += fmt.Sprintf(" (looked for %s under the root)", l.display(filepath.Join(l.Root, path)))
	case res.repo != "":
		msg += fmt.Sprintf(" in the repository (looked for %s, taking the main file's folder as nginx's prefix) nor on this machine",
			l.display(res.repo))
	case l.Virtual:
		// nginx -T dumps every file it read, so the dump is incomplete.
		addDiag(c, IncludeNotFoundCode, arg.Span(), true, msg+" in the nginx -T dump, which holds every file nginx read: was the dump cut short?")
		return
	case !filepath.IsAbs(path):
		msg += fmt.Sprintf(" (looked for %s", l.display(filepath.Join(base.dir, path)))
		if base.also != "" {
			msg += fmt.Sprintf(" and %s", l.display(filepath.Join(base.also, path)))
		}
		msg += ")"
	}
	info := true
	switch {
	case res.rooted && !isShipped(path):
		info = false
	case filepath.IsAbs(path) && !res.rooted:
		msg += "; it may exist on the server this configuration is deployed to"
	case isShipped(path):
		msg += "; nginx packages install this file, so it is probably on the server"
	case base.guessed:
		msg += "; this file is linted on its own, so its include folder is a guess"
	default:
		info = false
	}
	addDiag(c, IncludeNotFoundCode, arg.Span(), info, msg)
}

// reportHost says that an absolute include was found on this machine only:
// what is linted in its place is this machine's file, not the
// repository's.
func (l *Loader) reportHost(c *Config, d *Directive, res resolution) {
	arg := d.Args[0]
	what := "this machine's " + res.paths[0] + " is linted in its place"
	if isShipped(filepath.Clean(arg.Value)) {
		what = "nginx packages install this file, and this machine's copy, " + res.paths[0] + ", is read in its place"
	}
	if res.glob {
		what = fmt.Sprintf("this machine's %d matching files are linted in its place", len(res.paths))
	}
	addDiag(c, IncludeNotFoundCode, arg.Span(), true, fmt.Sprintf(
		"%q is not in the repository (looked for %s, taking the main file's folder as nginx's prefix); %s; "+
			"pass --root with the folder that holds the server's file system to lint the repository's files instead",
		arg.Value, l.display(res.repo), what))
}

// isShipped reports whether the tail of path names a file nginx packages
// ship.
func isShipped(path string) bool {
	p := filepath.ToSlash(path)
	for name := range shippedFiles {
		if p == name || strings.HasSuffix(p, "/"+name) {
			return true
		}
	}
	return false
}

func addDiag(c *Config, code string, span source.Span, info bool, msg string) {
	c.Diagnostics = append(c.Diagnostics, source.Diagnostic{Code: code, Span: span, Message: msg, Info: info})
}
