package vars

import (
	"slices"
	"strings"
	"sync"

	"github.com/ngxlint/ngxlint/internal/lazyre"
	"github.com/ngxlint/ngxlint/internal/memo"

	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/pcre"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/internal/parallel"
)

// Index holds, for a workspace, every directive that defines a variable
// and every regex whose captures a later directive may read. It is built
// once (Build) and answers At; it is read-only afterwards and safe for
// concurrent use.
type Index struct {
	defs    map[string][]def        // by variable name
	named   map[string][]*regexSite // named captures, by name
	regexOf map[*nginx.Directive]*regexSite
	// serverNames holds each server block's regex server names.
	serverNames map[*nginx.Directive][]*regexSite

	flats      memo.Map[any, *flat]                    // expanded block children (levels)
	values     memo.Map[memoKey, Value]                // defined variables' answers, per block and site (At)
	scopes     memo.Map[string, *defScopes]            // a much-defined variable's definitions by block
	kidRegexes memo.Map[*nginx.Directive, []candidate] // rewriteRegexes of a level's children
	namedBy    memo.Map[nameFamily, []*regexSite]      // named captures of one family (namedIn)
	foldOnce   sync.Once                               // fold, DefinedFold's index
	fold       *foldIndex
	// dollar lists a file part's directives with a '$' in walk order,
	// which is the order of their offsets, and refs their DirectiveRefs,
	// worked out with the part; byFile holds the parts, read without a
	// lock (a memo's lock, taken by several rules for every such
	// directive, cost more than working the references out).
	dollar []*nginx.Directive
	offs   []int // dollar's offsets, searched without reading the nodes
	refs   [][]Ref
	byFile map[*nginx.Config]*Index
}

// DirectiveRefs is the package's DirectiveRefs, worked out once per
// directive that has a '$' when its file's part is indexed: the rules
// about variables (unknown ones, missing captures, header splitting,
// spoofed hosts ...) each ask it of every directive. The slice is shared:
// do not modify it.
func (x *Index) DirectiveRefs(d *nginx.Directive) []Ref {
	if !anyDollar(d.Args) {
		return nil
	}
	if x != nil {
		if refs, ok := x.byFile[d.Config].ownRefs(d); ok {
			return refs
		}
	}
	return DirectiveRefs(d) // a directive from outside the indexed files
}

// ownRefs finds d's references in a file's part, by d's offset.
func (part *Index) ownRefs(d *nginx.Directive) ([]Ref, bool) {
	if part == nil {
		return nil, false
	}
	i, found := slices.BinarySearch(part.offs, d.Start())
	if !found || part.dollar[i] != d {
		return nil, false
	}
	return part.refs[i], true
}

// refsOf works out the references of ds, on every core when there are
// many (a large file is one part).
func refsOf(ds []*nginx.Directive) [][]Ref {
	out := make([][]Ref, len(ds))
	const block = 1024
	parallel.Each((len(ds)+block-1)/block, func(b int) {
		for i := b * block; i < min(len(ds), (b+1)*block); i++ {
			out[i] = slices.Clip(DirectiveRefs(ds[i]))
		}
	})
	return out
}

// def is one definition of a variable.
type def struct {
	d      *nginx.Directive
	origin Origin
	family string // "http", "stream" or "" (a snippet of unknown family)
	// value is the template a Set definition gives the variable.
	value string
}

// Build indexes the definitions and regexes of every file. It never
// fails: a directive it cannot read defines nothing. Each file's
// definitions and regexes are indexed on its own, on all cores, and kept
// on its tree as a model part (nginx.Config.ModelPart): after an edit in
// the language server only the edited file's are indexed again. The parts
// are then joined in file order, so each list keeps the walk's order.
func Build(configs []*nginx.Config) *Index {
	parts := make([]*Index, len(configs))
	parallel.Each(len(configs), func(i int) { parts[i] = nginx.PartOf(configs[i], partKey{}, indexOf) })
	ix := newIndex()
	ix.byFile = make(map[*nginx.Config]*Index, len(configs))
	for i, part := range parts {
		ix.join(part)
		ix.byFile[configs[i]] = part
	}
	return ix
}

// partKey keys the variables model's parts.
type partKey struct{}

// indexOf indexes the definitions and regexes of c's own tree.
func indexOf(c *nginx.Config) *Index {
	var part *Index
	if n := c.NumDirectives(); n < 4*indexBlock {
		part = newIndex()
		nginx.Walk(c, func(d *nginx.Directive) bool {
			part.addOwn(d)
			return true
		})
	} else {
		// A large file: its directives in runs on all cores, each run
		// indexed on its own, then joined in walk order, as add only
		// appends to what came before.
		dirs := c.PreOrder()
		runs := make([]*Index, (len(dirs)+indexBlock-1)/indexBlock)
		parallel.Each(len(runs), func(r int) {
			run := newIndex()
			for _, d := range dirs[r*indexBlock : min(len(dirs), (r+1)*indexBlock)] {
				run.addOwn(d)
			}
			runs[r] = run
		})
		part = newIndex()
		n := 0
		for _, run := range runs {
			n += len(run.dollar)
		}
		part.dollar, part.offs = make([]*nginx.Directive, 0, n), make([]int, 0, n)
		for _, run := range runs {
			part.join(run)
			part.dollar = append(part.dollar, run.dollar...)
			part.offs = append(part.offs, run.offs...)
		}
	}
	part.refs = refsOf(part.dollar)
	return part
}

// indexBlock is the run of directives a core indexes at a time in a
// large file.
const indexBlock = 4096

// addOwn adds d to a file's part: its definitions and regexes, and d
// itself to the directives with a '$'.
func (part *Index) addOwn(d *nginx.Directive) {
	part.add(d)
	if anyDollar(d.Args) {
		part.dollar = append(part.dollar, d)
		part.offs = append(part.offs, d.Start())
	}
}

func newIndex() *Index {
	return &Index{
		defs:        map[string][]def{},
		named:       map[string][]*regexSite{},
		regexOf:     map[*nginx.Directive]*regexSite{},
		serverNames: map[*nginx.Directive][]*regexSite{},
	}
}

// join adds a file's part after what ix holds; ix gets lists of its own.
// A part's regex sites are shared: they are never changed once made.
func (ix *Index) join(part *Index) {
	for name, list := range part.defs {
		ix.defs[name] = append(ix.defs[name], list...)
	}
	for name, list := range part.named {
		ix.named[name] = append(ix.named[name], list...)
	}
	for d, rs := range part.regexOf {
		ix.regexOf[d] = rs
	}
	for srv, list := range part.serverNames {
		ix.serverNames[srv] = append(ix.serverNames[srv], list...)
	}
}

func family(ctx []string) string {
	if len(ctx) > 0 && (ctx[0] == "http" || ctx[0] == "stream" || ctx[0] == "mail") {
		return ctx[0]
	}
	return ""
}

// nameFamily keys namedIn's answers.
type nameFamily struct{ name, family string }

// namedIn lists the regexes with a group called name in the block family
// fam (the family unknown on either side counts as the same), worked out
// once per name and family: 8,000 servers each with its own
// `server_name ~^(?<sub>...)` and a `return 200 $sub;` listed all 8,000
// for each query (2 s to lint; 32,000 took 41 s).
func (ix *Index) namedIn(name, fam string) []*regexSite {
	all := ix.named[name]
	if len(all) == 0 {
		return nil
	}
	return ix.namedBy.Get(nameFamily{name, fam}, func() []*regexSite {
		var out []*regexSite
		for _, rs := range all {
			if sameFamily(family(rs.d.Context()), fam) {
				out = append(out, rs)
			}
		}
		return out
	})
}

func (ix *Index) define(name string, d *nginx.Directive, o Origin) {
	ix.defineValue(name, d, o, "")
}

func (ix *Index) defineValue(name string, d *nginx.Directive, o Origin, value string) {
	name = strings.TrimPrefix(name, "$")
	if strings.HasPrefix(name, "{") && strings.HasSuffix(name, "}") {
		name = name[1 : len(name)-1]
	}
	if name == "" {
		return
	}
	ix.defs[name] = append(ix.defs[name], def{d: d, origin: o, family: family(d.Context()), value: value})
}

// moduleSetters are directives whose first argument is a variable that
// code computes (Perl, njs, Lua, OpenResty's set-misc).
var moduleSetters = spec.NewNameSet("perl_set", "js_set", "js_var", "auth_jwt_claim_set", "auth_jwt_header_set", "auth_oidc_claim_set")

// DefinedArg returns the argument in which d names the variable it
// defines, and how the variable gets its value: set and auth_request_set
// (Set), map, geo, split_clients, keyval and the module setters (perl_set,
// js_set, set_by_lua ...); nil for any other directive. The argument is
// as written ("$name").
func DefinedArg(d *nginx.Directive) (*nginx.Arg, Origin) {
	a := d.Args
	switch {
	case d.Name == "set" || d.Name == "auth_request_set":
		if len(a) > 0 {
			return a[0], Set
		}
	case d.Name == "keyval": // keyval key $var zone=...: a value stored through the API
		if len(a) > 1 {
			return a[1], Module
		}
	case d.Name == "map":
		if len(a) > 1 {
			return a[1], Map
		}
	case d.Name == "geo":
		if len(a) > 0 {
			return a[len(a)-1], Geo
		}
	case d.Name == "split_clients":
		if len(a) > 1 {
			return a[1], SplitClients
		}
	case moduleSetters.Value(d.NameID(), d.Name) || strings.HasPrefix(d.Name, "set_"):
		if len(a) > 0 && strings.HasPrefix(a[0].Value, "$") {
			return a[0], Module
		}
	}
	return nil, Undefined
}

func (ix *Index) add(d *nginx.Directive) {
	if blk := innerBlock(d); blk == "map" || strings.HasPrefix(blk, "geoip2") {
		if blk == "map" {
			ix.addRegexes(d, "map")
		} else if strings.HasPrefix(d.Name, "$") {
			ix.define(d.Name, d, Module) // geoip2 { $var ... }: from the database
		}
		return
	}
	a := d.Args
	if arg, origin := DefinedArg(d); arg != nil {
		if origin != Set {
			ix.define(arg.Value, d, origin)
		} else if len(a) > 1 {
			ix.defineValue(arg.Value, d, Set, a[1].Value)
		}
		return
	}
	switch {
	case d.Name == "more_set_input_headers":
		// headers-more replaces request headers, and so $http_NAME:
		// more_set_input_headers [-r] [-t types] 'Name: value' ...
		for i := 0; i < len(a); i++ {
			switch a[i].Value {
			case "-r":
				continue
			case "-t":
				i++
				continue
			}
			name, value, ok := strings.Cut(a[i].Value, ":")
			if ok && name != "" {
				v := "http_" + strings.ReplaceAll(strings.ToLower(strings.TrimSpace(name)), "-", "_")
				ix.defineValue(v, d, Set, strings.TrimLeft(value, " \t"))
			}
		}
	case capturingRegexes[d.Name]:
		ix.addRegexes(d, d.Name)
	}
}

// capturingRegexes are the directives whose regexes (nginx.Regexes) set
// captures that the directives after them may read; valid_referers' and
// gzip_disable's set none.
var capturingRegexes = map[string]bool{
	"location": true, "rewrite": true, "fastcgi_split_path_info": true, "if": true, "server_name": true,
	"proxy_redirect": true, "proxy_cookie_path": true, "proxy_cookie_domain": true,
}

// addRegexes records the regexes nginx compiles from d (the model's
// nginx.Regexes), as kind.
func (ix *Index) addRegexes(d *nginx.Directive, kind string) {
	for _, r := range nginx.Regexes(d) {
		rs := ix.addRegex(d, kind, r.Pattern, r.CaseInsensitive)
		rs.positive = !r.Negated
		if d.Name == "server_name" {
			for _, srv := range enclosingAll(d, "server") {
				ix.serverNames[srv] = append(ix.serverNames[srv], rs)
			}
		}
	}
}

// innerBlock is the name of the block d is directly in, across an
// include (at the file's first site); "" at the top of nginx.conf.
func innerBlock(d *nginx.Directive) string {
	if d.Parent != nil {
		return d.Parent.Name
	}
	if ctx := d.Context(); len(ctx) > 0 {
		return ctx[len(ctx)-1]
	}
	return ""
}

// enclosingAll returns the block named name around d at each of its
// file's sites, once each.
func enclosingAll(d *nginx.Directive, name string) []*nginx.Directive {
	if d.Parent != nil && d.Parent.Name == name {
		return []*nginx.Directive{d.Parent}
	}
	var out []*nginx.Directive
	if d.Config == nil {
		return nil
	}
	for _, s := range d.Config.Sites() {
		if b := d.EnclosingIn(s, name); b != nil && !slices.Contains(out, b) {
			out = append(out, b)
		}
	}
	return out
}

// regexSite is a regex nginx matches at run time, whose captures the
// directives after it may read.
type regexSite struct {
	d    *nginx.Directive
	kind string // "location", "if", "rewrite", "map", "server_name", ...
	// pattern and ci name the regex; its tree is asked of pcre's bounded
	// cache when a query needs a group: held here, the trees of a file
	// of 32,000 rewrites took 9 KB per line.
	pattern string
	ci      bool
	ok      bool // false when the pattern does not parse: its captures are unknown
	// ncap and names are the regex's groups ($1 .. $ncap, and the named
	// ones, nil when none is), read for every variable a query meets.
	ncap  int
	names map[string]int
	// positive is false for `if ($x !~ re)`: its block runs when the
	// regex did not match, so its captures are not those of the regex.
	positive bool
}

func (ix *Index) addRegex(d *nginx.Directive, kind, pattern string, ci bool) *regexSite {
	rs := &regexSite{d: d, kind: kind, pattern: pattern, ci: ci, positive: true}
	if re, err := pcre.ParseCached(pattern, ci); err == nil {
		rs.ok, rs.ncap = true, re.Captures
		if len(re.Names) > 0 {
			rs.names = re.Names
		}
		for name := range re.Names {
			ix.named[name] = append(ix.named[name], rs)
		}
	} else {
		// the names it seems to define still exist (with unknown
		// values): a rule must not call them undefined on our say-so
		for _, m := range namedGroup.Re().FindAllStringSubmatch(pattern, -1) {
			ix.named[m[1]] = append(ix.named[m[1]], rs)
		}
	}
	ix.regexOf[d] = rs
	return rs
}

// namedGroup finds the names of (?<n>..), (?P<n>..) and (?'n'..) in a
// pattern pcre could not parse.
var namedGroup = lazyre.New(`\(\?P?[<'](\w+)[>']`)

// captures is the number of groups of the regex (-1 when unknown).
func (rs *regexSite) captures() int {
	if !rs.ok {
		return -1
	}
	return rs.ncap
}

// group is capturing group n of the regex (nil when it has none such),
// from pcre's cache, parsed again if the cache has let it go.
func (rs *regexSite) group(n int) *pcre.Node {
	re, err := pcre.ParseCached(rs.pattern, rs.ci)
	if err != nil {
		return nil
	}
	return re.Group(n)
}
