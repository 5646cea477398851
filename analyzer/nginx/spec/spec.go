// Package spec is the table of nginx directives and built-in variables,
// generated from the ngx_command_t and variable arrays of nginx's own
// sources at every release tag (and of the third-party modules people run
// with it: OpenResty's Lua modules, headers-more, njs). It says, for each
// directive, the module, the contexts it is allowed in, its arity and the
// versions that have it; hover, completion and context detection read it.
//
// table_gen.go and inputs.tsv are written by internal/gen: `go generate
// ./analyzer/nginx/spec` scans bare git mirrors of the repositories
// (under $NGXLINT_SPEC_SOURCES, default /work/.mirror, one per repository
// as owner+name/repo, e.g. the search tool's fetch of github:nginx/nginx)
// and records every tag and commit it read in inputs.tsv. Commit both
// files, never the sources. internal/gen's TestReproducesCommittedTable
// regenerates into a temporary folder and compares byte for byte when
// the mirrors are present; it skips without them (as in CI) and under
// -short. params.go holds the few hand-written, sourced facts about
// directive parameters that rules need.
package spec

//go:generate go run ./internal/gen -out .

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Version is a release number, nginx's (1.25.1) or a module's.
type Version struct{ Major, Minor, Patch int }

// ParseVersion reads "1.25.1" (a missing patch is 0; a leading "v" or
// "release-" is allowed).
func ParseVersion(s string) (Version, error) {
	t := strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(s), "release-"), "v")
	parts := strings.Split(t, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return Version{}, fmt.Errorf("version %q: want MAJOR.MINOR[.PATCH]", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || p == "" || (p[0] == '+' || p[0] == '-') {
			return Version{}, fmt.Errorf("version %q: %q is not a number", s, p)
		}
		n[i] = v
	}
	return Version{n[0], n[1], n[2]}, nil
}

func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch) }

// Less orders versions numerically.
func (v Version) Less(w Version) bool {
	if v.Major != w.Major {
		return v.Major < w.Major
	}
	if v.Minor != w.Minor {
		return v.Minor < w.Minor
	}
	return v.Patch < w.Patch
}

// IsZero reports the zero Version ("unknown" or "not removed").
func (v Version) IsZero() bool { return v == Version{} }

// Context is a set of the configuration contexts a directive is allowed
// in, after nginx's NGX_*_CONF flags.
type Context uint32

// The contexts. Main and Direct both mean the top level of nginx.conf
// (Direct: the directive writes the core configuration directly); Any is
// include's "anywhere".
const (
	Main Context = 1 << iota
	Direct
	Any
	Events
	HTTPMain
	HTTPServer
	HTTPLocation
	HTTPUpstream
	HTTPIfServer
	HTTPIfLocation
	HTTPLimitExcept
	StreamMain
	StreamServer
	StreamUpstream
	MailMain
	MailServer
)

// contextLabels names each context as nginx's reference does.
var contextLabels = []struct {
	c     Context
	label string
}{
	{Main | Direct, "main"},
	{Events, "events"},
	{HTTPMain, "http"},
	{HTTPServer, "server"},
	{HTTPLocation, "location"},
	{HTTPUpstream, "upstream"},
	{HTTPIfServer, "if in server"},
	{HTTPIfLocation, "if in location"},
	{HTTPLimitExcept, "limit_except"},
	{StreamMain, "stream"},
	{StreamServer, "stream server"},
	{StreamUpstream, "stream upstream"},
	{MailMain, "mail"},
	{MailServer, "mail server"},
}

// Arity is how many arguments a directive takes. Max is -1 when
// unbounded. Flag: exactly one of on/off. Block: the directive opens a
// { ... } block. Any: any number of arguments, none included.
type Arity struct {
	Min, Max         int
	Flag, Block, Any bool
}

// Repeat says whether a directive may appear twice in one block, as its
// set handler decides.
type Repeat uint8

const (
	// RepeatUnknown: a module's own handler the generator cannot judge
	// (listen, add_header, error_page, the blocks ...).
	RepeatUnknown Repeat = iota
	// RepeatRejected: nginx fails a second occurrence with "is duplicate"
	// (the scalar ngx_conf_set_*_slot handlers, and module handlers that
	// return it on some path, such as root or proxy_pass).
	RepeatRejected
	// RepeatAllowed: each occurrence adds to the earlier ones (the array,
	// key-value and bitmask slots: ssl_certificate, proxy_hide_header ...).
	RepeatAllowed
)

func (r Repeat) String() string {
	switch r {
	case RepeatRejected:
		return "rejected"
	case RepeatAllowed:
		return "allowed"
	}
	return "unknown"
}

// Directive is one directive of one module. A name can have several
// entries: `server` in http, in upstream and in stream; a directive that
// moved between modules.
type Directive struct {
	Name   string
	Module string // "ngx_http_proxy_module"
	Source string // "nginx", "lua-nginx-module", "stream-lua-nginx-module", "headers-more-nginx-module", "njs"

	Contexts Context // as of the newest release that has it
	Args     Arity   // likewise
	Repeat   Repeat  // likewise

	// Since is the first nginx release that has the directive; Until the
	// first release after Since that no longer has it ("removed in"),
	// zero while Newest has it. Both are zero for third-party modules.
	Since, Until Version
	// ModSince and ModUntil are the same for a third-party module, as
	// its own release tags ("v0.10.0"); "" for nginx's directives.
	ModSince, ModUntil string
}

// Has reports whether nginx v has the directive. Third-party directives
// are not tied to nginx versions: true unless Until is set and v is not
// before it.
func (d *Directive) Has(v Version) bool {
	if !d.Until.IsZero() && !v.Less(d.Until) {
		return false
	}
	return d.Source != "nginx" || !v.Less(d.Since)
}

// Current reports whether the newest release of its source still has d.
func (d *Directive) Current() bool { return d.Until.IsZero() && d.ModUntil == "" }

// ShortModule is the module's name as nginx's documentation spells it in
// configure options: "http_proxy" for ngx_http_proxy_module.
func (d *Directive) ShortModule() string { return shortModule(d.Module) }

func shortModule(m string) string {
	return strings.TrimSuffix(strings.TrimPrefix(m, "ngx_"), "_module")
}

// ContextLabels names d's contexts as nginx's reference does ("main",
// "http", "server", "location", "if in location", "stream server", ...);
// ["any"] for include.
func (d *Directive) ContextLabels() []string {
	if d.Contexts&Any != 0 {
		return []string{"any"}
	}
	var out []string
	for _, l := range contextLabels {
		if d.Contexts&l.c != 0 {
			out = append(out, l.label)
		}
	}
	return out
}

// Syntax is a readable syntax line built from the arity alone (argument
// meanings are not in the sources): "proxy_pass arg;", "gzip on | off;",
// "http { ... }", "location arg ... { ... }".
func (d *Directive) Syntax() string {
	var b strings.Builder
	b.WriteString(d.Name)
	a := d.Args
	switch {
	case a.Flag:
		b.WriteString(" on | off")
	case a.Any:
		b.WriteString(" [arg ...]")
	default:
		for i := 0; i < a.Min; i++ {
			b.WriteString(" arg")
		}
		switch {
		case a.Max < 0:
			b.WriteString(" ...")
		case a.Max > a.Min:
			b.WriteString(" [arg")
			for i := a.Min + 1; i < a.Max; i++ {
				b.WriteString(" [arg")
			}
			b.WriteString(strings.Repeat("]", a.Max-a.Min))
		}
	}
	if a.Block {
		b.WriteString(" { ... }")
	} else {
		b.WriteString(";")
	}
	return b.String()
}

// Repository addresses of the third-party sources, for links.
var sourceRepos = map[string]string{
	"lua-nginx-module":          "https://github.com/openresty/lua-nginx-module",
	"stream-lua-nginx-module":   "https://github.com/openresty/stream-lua-nginx-module",
	"headers-more-nginx-module": "https://github.com/openresty/headers-more-nginx-module",
	"njs":                       "https://github.com/nginx/njs",
}

// DocURL links d's entry in its reference: nginx.org's module page for
// nginx and njs (whose nginx modules are documented there), the module's
// README on GitHub for the others.
func (d *Directive) DocURL() string {
	if d.Source == "nginx" || d.Source == "njs" {
		return docPage(d.Module) + "#" + d.Name
	}
	if repo, ok := sourceRepos[d.Source]; ok {
		return repo + "#" + d.Name
	}
	return ""
}

// docPage maps a module to its page on nginx.org. Several modules share
// a page (the upstream balancers, the core modules), and filter modules
// are documented without "_filter".
func docPage(mod string) string {
	const base = "https://nginx.org/en/docs/"
	family := ""
	switch {
	case strings.HasPrefix(mod, "ngx_http_"):
		family = "http/"
	case strings.HasPrefix(mod, "ngx_stream_"):
		family = "stream/"
	case strings.HasPrefix(mod, "ngx_mail_"):
		family = "mail/"
	case mod == "ngx_google_perftools_module":
		return base + mod + ".html"
	default: // core, events, error log, openssl, regex, thread pools
		return base + "ngx_core_module.html"
	}
	switch {
	case strings.HasPrefix(mod, "ngx_http_upstream_"):
		mod = "ngx_http_upstream_module"
	case strings.HasPrefix(mod, "ngx_stream_upstream_"):
		mod = "ngx_stream_upstream_module"
	case mod == "ngx_http_copy_filter_module":
		mod = "ngx_http_core_module"
	case mod == "ngx_http_image_filter_module":
	case strings.HasSuffix(mod, "_filter_module"):
		mod = strings.TrimSuffix(mod, "_filter_module") + "_module"
	}
	return base + family + mod + ".html"
}

var (
	directives []Directive
	all        []*Directive
	variables  []Variable
	allVars    []*Variable
	varByName  map[string][]*Variable
)

// init turns the generated rows into the table. Every run pays for it
// before it reads a file, so it allocates each list once and builds one
// map per table: the directives' names are numbered as their sorted rows
// are read (see numberNames), and Lookup goes through the number.
func init() {
	directives = make([]Directive, len(directiveRows))
	all = make([]*Directive, len(directiveRows))
	for i := range directiveRows {
		r := &directiveRows[i]
		m := &modules[r.mod]
		d := &directives[i]
		*d = Directive{
			Name: r.name, Module: m.name, Source: m.source,
			Contexts: r.ctx,
			Args: Arity{Min: int(r.min), Max: int(r.max),
				Flag: r.kind&argFlag != 0, Block: r.kind&argBlock != 0, Any: r.kind&argAny != 0},
			Repeat: r.repeat,
			Since:  unpack(r.since), Until: unpack(r.until),
			ModSince: r.modSince, ModUntil: r.modUntil,
		}
		all[i] = d
	}
	numberNames()
	variables = make([]Variable, len(variableRows))
	allVars = make([]*Variable, len(variableRows))
	varByName = make(map[string][]*Variable, len(variableRows))
	for i := range variableRows {
		r := &variableRows[i]
		m := &modules[r.mod]
		v := &variables[i]
		*v = Variable{Name: r.name, Prefix: r.prefix, Module: m.name, Source: m.source,
			Since: unpack(r.since), Until: unpack(r.until)}
		allVars[i] = v
		varByName[v.Name] = append(varByName[v.Name], v)
	}
}

// The row types of table_gen.go: compact, statically initialised, turned
// into Directives and Variables once at init.
type moduleRow struct{ name, source string }

type directiveRow struct {
	name               string
	mod                uint16 // index into modules
	ctx                Context
	min, max           int8
	kind               uint8 // argFlag | argBlock | argAny
	repeat             Repeat
	since, until       uint32
	modSince, modUntil string
}

type variableRow struct {
	name         string
	mod          uint16
	prefix       bool
	since, until uint32
}

const (
	argFlag = 1 << iota
	argBlock
	argAny
)

// unpack reads a version packed as 0xMMmmpp.
func unpack(p uint32) Version {
	return Version{int(p >> 16), int(p >> 8 & 0xff), int(p & 0xff)}
}

// All returns every directive entry, sorted by name, then source (nginx
// first) and module. The slice is shared: do not modify it.
func All() []*Directive { return all }

// Lookup returns every entry for name (several modules, removed ones
// included), nil when no release of any source had it.
func Lookup(name string) []*Directive { return LookupID(ID(name)) }

// LookupAt returns the entries for name that release v has (see Has), in
// table order; nil when there are none. Validity rules ask it for every
// directive they read, so the answers for a release are worked out once,
// for all names, the first time the release is asked about. The slice is
// shared with the table: do not modify it.
func LookupAt(name string, v Version) []*Directive {
	return LookupAtID(ID(name), v)
}

// LookupAtID is LookupAt by the name's number: nil for NoID.
func LookupAtID(id NameID, v Version) []*Directive {
	if int(id) >= len(byID) {
		return nil
	}
	if l := lastAt.Load(); l != nil && l.v == v {
		return l.byID[id]
	}
	if t, ok := byVersion.Load(v); ok {
		lastAt.Store(t.(*atVersion))
		return t.(*atVersion).byID[id]
	}
	t := &atVersion{v: v, byID: make([][]*Directive, len(byID))}
	for n, ds := range byID {
		var keep []*Directive
		for _, d := range ds {
			if d.Has(v) {
				keep = append(keep, d)
			}
		}
		if len(keep) > 0 {
			t.byID[n] = slices.Clip(keep)
		}
	}
	if byVersionCount.Add(1) <= maxByVersion {
		byVersion.Store(v, t)
	}
	lastAt.Store(t)
	return t.byID[id]
}

// atVersion is the table's entries by name number for one release.
type atVersion struct {
	v    Version
	byID [][]*Directive
}

var (
	byVersion      sync.Map // Version -> *atVersion
	byVersionCount atomic.Int64
	lastAt         atomic.Pointer[atVersion]
)

// maxByVersion bounds the releases remembered (a language server session
// may be told of many while a user edits its settings).
const maxByVersion = 16

// AllowedAt returns the entries of ds allowed at path (see AllowedIn),
// working the context out once for all of them. When the kept entries
// are contiguous in ds, as nearly always, the result is a part of ds and
// nothing is allocated: do not modify it.
func AllowedAt(ds []*Directive, path []string) []*Directive {
	c, known := contextOf(path)
	if !known {
		return nil
	}
	keep := func(d *Directive) bool { return d.allowedIn(c) }
	i := 0
	for i < len(ds) && !keep(ds[i]) {
		i++
	}
	j := i
	for j < len(ds) && keep(ds[j]) {
		j++
	}
	if !slices.ContainsFunc(ds[j:], keep) {
		return ds[i:j:j]
	}
	out := slices.Clone(ds[i:j])
	for _, d := range ds[j:] {
		if keep(d) {
			out = append(out, d)
		}
	}
	return out
}

// For picks the entry for name that is allowed at path, preferring one
// that is still current; else the first current entry; else the first.
// nil when the name is unknown.
func For(name string, path []string) *Directive {
	ds := Lookup(name)
	var allowed, current *Directive
	for _, d := range ds {
		if ok, _ := d.AllowedIn(path); ok && (allowed == nil || d.Current() && !allowed.Current()) {
			allowed = d
		}
		if current == nil && d.Current() {
			current = d
		}
	}
	switch {
	case allowed != nil:
		return allowed
	case current != nil:
		return current
	case len(ds) > 0:
		return ds[0]
	}
	return nil
}

// contextOf maps a block path (outermost first, as
// nginx.Directive.Context returns it) to the one context it denotes.
// known is false for blocks whose bodies are not directives (map, geo,
// types, a *_by_lua_block) and for paths nginx does not nest that way.
func contextOf(path []string) (c Context, known bool) {
	if len(path) == 0 {
		return Main, true
	}
	var family string
	for i, p := range path {
		prev := ""
		if i > 0 {
			prev = path[i-1]
		}
		switch {
		case i == 0 && (p == "events" || p == "http" || p == "stream" || p == "mail"):
			family = p
		case p == "server" && prev == family && family != "events":
		case p == "upstream" && prev == family && (family == "http" || family == "stream"):
		case family == "http" && p == "location" && (prev == "server" || prev == "location"):
		case family == "http" && p == "if" && (prev == "server" || prev == "location"):
		case family == "http" && p == "limit_except" && prev == "location":
		default:
			return 0, false
		}
	}
	last := path[len(path)-1]
	prev := ""
	if len(path) > 1 {
		prev = path[len(path)-2]
	}
	type key struct{ family, last string } // a struct, not a concatenation: called per directive
	switch (key{family, last}) {
	case key{"events", "events"}:
		return Events, true
	case key{"http", "http"}:
		return HTTPMain, true
	case key{"http", "server"}:
		return HTTPServer, true
	case key{"http", "location"}:
		return HTTPLocation, true
	case key{"http", "upstream"}:
		return HTTPUpstream, true
	case key{"http", "limit_except"}:
		return HTTPLimitExcept, true
	case key{"http", "if"}:
		if prev == "server" {
			return HTTPIfServer, true
		}
		return HTTPIfLocation, true
	case key{"stream", "stream"}:
		return StreamMain, true
	case key{"stream", "server"}:
		return StreamServer, true
	case key{"stream", "upstream"}:
		return StreamUpstream, true
	case key{"mail", "mail"}:
		return MailMain, true
	case key{"mail", "server"}:
		return MailServer, true
	}
	return 0, false
}

// AllowedIn reports whether d may appear at path, the enclosing block
// names outermost first ([] is main, ["http","server","location","if"]
// is "if in location"). known is false when the path's innermost block
// does not hold directives or is not one nginx nests that way; ok is then
// false too.
func (d *Directive) AllowedIn(path []string) (ok, known bool) {
	c, known := contextOf(path)
	if !known {
		return false, false
	}
	return d.allowedIn(c), true
}

func (d *Directive) allowedIn(c Context) bool {
	switch {
	case d.Contexts&Any != 0:
		return true
	case c == Main:
		return d.Contexts&(Main|Direct) != 0
	}
	return d.Contexts&c != 0
}

// InContext returns the current directives allowed at path, one entry
// per name, sorted by name: what completion offers. Removed directives
// are left out. nil when the path is not a directive context.
func InContext(path []string) []*Directive {
	var out []*Directive
	for _, d := range all {
		if !d.Current() {
			continue
		}
		if ok, _ := d.AllowedIn(path); ok && (len(out) == 0 || out[len(out)-1].Name != d.Name) {
			out = append(out, d)
		}
	}
	return out
}

// InContextAt is InContext for nginx v: the entries allowed at path that
// v has (removed ones included while v had them), one per name; the
// third-party modules' current directives whatever v is.
func InContextAt(path []string, v Version) []*Directive {
	var out []*Directive
	for _, d := range all {
		if !d.Has(v) || d.Source != "nginx" && !d.Current() {
			continue
		}
		if ok, _ := d.AllowedIn(path); ok && (len(out) == 0 || out[len(out)-1].Name != d.Name) {
			out = append(out, d)
		}
	}
	return out
}

// Variable is a built-in variable. A Prefix variable is a family: "http_"
// stands for $http_<header>.
type Variable struct {
	Name   string // without '$'
	Prefix bool
	Module string // the module that declares it, "ngx_http_core_module"
	Source string
	// Since and Until as for Directive (nginx versions; zero for
	// third-party modules).
	Since, Until Version
}

// Has reports whether nginx v has the variable (third-party ones: true
// unless removed).
func (v *Variable) Has(at Version) bool {
	if !v.Until.IsZero() && !at.Less(v.Until) {
		return false
	}
	return v.Source != "nginx" || !at.Less(v.Since)
}

// Stream reports a variable of the stream modules (as opposed to http).
func (v *Variable) Stream() bool { return strings.HasPrefix(v.Module, "ngx_stream_") }

// DocURL links v in its module's page on nginx.org ("#var_request_id");
// for a prefix family, the page itself.
func (v *Variable) DocURL() string {
	if v.Source != "nginx" && v.Source != "njs" {
		return sourceRepos[v.Source]
	}
	if v.Prefix {
		return docPage(v.Module)
	}
	return docPage(v.Module) + "#var_" + v.Name
}

// Variables returns every variable, sorted by name, http before stream.
// The slice is shared: do not modify it.
func Variables() []*Variable { return allVars }

// LookupVariable finds the variable $name: the exact name first, else the
// longest prefix family that name starts with ("http_user_agent" ->
// "http_"). http entries are preferred over stream ones, current over
// removed; nil when nothing matches.
func LookupVariable(name string) *Variable { return lookupVar(name, "") }

// LookupVariableIn is LookupVariable restricted to one family: "http" or
// "stream".
func LookupVariableIn(name, family string) *Variable { return lookupVar(name, family) }

func lookupVar(name, family string) *Variable {
	if v := pickVar(varByName[name], family, false); v != nil {
		return v
	}
	for n := len(name) - 1; n > 0; n-- {
		if v := pickVar(varByName[name[:n]], family, true); v != nil {
			return v
		}
	}
	return nil
}

func pickVar(vs []*Variable, family string, prefix bool) *Variable {
	var best *Variable
	for _, v := range vs {
		if prefix && !v.Prefix {
			continue
		}
		fam := "http"
		if v.Stream() {
			fam = "stream"
		}
		if family != "" && fam != family {
			continue
		}
		if best == nil || rankVar(v) > rankVar(best) {
			best = v
		}
	}
	return best
}

func rankVar(v *Variable) int {
	r := 0
	if v.Until.IsZero() {
		r += 2
	}
	if !v.Stream() {
		r++
	}
	return r
}
