package analyzer

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/internal/memo"
)

// Settings is what a run knows about the deployment besides the files:
// the versions the configuration is for, what the nginx build adds, which
// files belong together, and each rule's options. It comes from
// .ngxlint.yml and the flags; the zero value means "unknown" throughout.
type Settings struct {
	// NginxVersion is the nginx release the configuration is for ("" for
	// the newest stable release the directive table knows). The CLI
	// stores it resolved against the table (a branch as its newest
	// release); read it through Nginx.
	NginxVersion string
	// NginxVersionGiven is true when the user named the version (flag or
	// .ngxlint.yml), false when NginxVersion is the default: rules that
	// would accuse a release of something (its CVEs) speak only then.
	NginxVersionGiven bool
	// ElasticsearchVersion is the node version the settings files are
	// for, as written ("8.13"); "" when unknown.
	ElasticsearchVersion string
	// Directives are third-party directives the nginx build has.
	Directives []string
	// Links pair an nginx configuration with the settings file of the
	// node it proxies to (absolute paths).
	Links []Link
	// NodeFiles are settings files (absolute paths) that .ngxlint.yml
	// declares to be a node's settings whatever their shape
	// (elasticsearch.nodes), so that they are never taken for a client's
	// configuration.
	NodeFiles []string
	// Options holds rule options by rule name, checked against each
	// rule's declared Options (see CheckOption).
	Options map[string]map[string]any
}

// Nginx is the release NginxVersion names, resolved against the
// directive table ("" or anything it does not know: the newest stable
// release).
func (s *Settings) Nginx() spec.Version {
	if s != nil {
		if v, err := spec.ResolveVersion(s.NginxVersion); err == nil {
			return v
		}
	}
	return spec.Latest
}

// KnownDirective reports whether name is a directive of the table (any
// module, any release) or one of the third-party Directives the build
// declares.
func (s *Settings) KnownDirective(name string) bool {
	var extra []string
	if s != nil {
		extra = s.Directives
	}
	return spec.Known(name, extra)
}

// HasDirective reports whether the configured nginx release has a
// directive named as d is: a table entry that release has, or a declared
// third-party directive.
func (s *Settings) HasDirective(d *nginx.Directive) bool {
	id := d.NameID()
	if len(spec.LookupAtID(id, s.Nginx())) > 0 {
		return true
	}
	// A name of no release at all may be a declared third-party one.
	return s != nil && id == spec.NoID && spec.Known(d.Name, s.Directives)
}

// Link is one nginx file ↔ settings file pair, as absolute paths.
type Link struct {
	Nginx, Elasticsearch string
}

// Option is a setting a rule declares, set per rule in .ngxlint.yml
// (`options: {rule-name: {name: value}}`). Its kind is the kind of its
// default: a string, an int, a bool or a []string.
type Option struct {
	Name    string
	Doc     string
	Default any
}

// CheckOption converts a value read from YAML to the option's kind, or
// says why it cannot be.
func (o Option) CheckOption(v any) (any, error) {
	switch o.Default.(type) {
	case string:
		if s, ok := v.(string); ok {
			return s, nil
		}
		return nil, fmt.Errorf("option %s takes a string", o.Name)
	case int:
		if n, ok := v.(int); ok {
			return n, nil
		}
		return nil, fmt.Errorf("option %s takes a whole number", o.Name)
	case bool:
		if b, ok := v.(bool); ok {
			return b, nil
		}
		return nil, fmt.Errorf("option %s takes true or false", o.Name)
	case []string:
		switch l := v.(type) {
		case string:
			return []string{l}, nil
		case []any:
			out := make([]string, 0, len(l))
			for _, it := range l {
				s, ok := it.(string)
				if !ok {
					return nil, fmt.Errorf("option %s takes a list of strings", o.Name)
				}
				out = append(out, s)
			}
			return out, nil
		case []string:
			return l, nil
		}
		return nil, fmt.Errorf("option %s takes a list of strings", o.Name)
	}
	return nil, fmt.Errorf("option %s has a default of unsupported kind %T", o.Name, o.Default)
}

// FindOption returns the rule's option named name, or nil.
func (r *Rule) FindOption(name string) *Option {
	for i := range r.Options {
		if r.Options[i].Name == name {
			return &r.Options[i]
		}
	}
	return nil
}

// Option returns the value of the rule's option: the one .ngxlint.yml
// sets, else its default. It panics for an option the rule does not
// declare, which is a bug in the rule.
func (p *Pass) Option(name string) any {
	o := p.Rule.FindOption(name)
	if o == nil {
		panic(fmt.Sprintf("rule %s reads option %q that it does not declare", p.Rule.Name, name))
	}
	if p.Settings != nil {
		if v, ok := p.Settings.Options[p.Rule.Name][name]; ok {
			return v
		}
	}
	return o.Default
}

// StringOption, IntOption, BoolOption and ListOption read an option of
// that kind.
func (p *Pass) StringOption(name string) string { s, _ := p.Option(name).(string); return s }
func (p *Pass) IntOption(name string) int       { n, _ := p.Option(name).(int); return n }
func (p *Pass) BoolOption(name string) bool     { b, _ := p.Option(name).(bool); return b }
func (p *Pass) ListOption(name string) []string { l, _ := p.Option(name).([]string); return l }

// Model is a result computed from the workspace once per run and shared by
// every rule, live mode and the error-log mapper that asks for it (the
// peers, the effective headers, the variables), as go/analysis's
// Requires and ResultOf share an analyzer's result.
type Model[T any] struct {
	Name    string
	Compute func(*Workspace) T
	// slot is the model's place in every run's results, handed out when
	// it is first asked for (0 until then).
	slot atomic.Int32
}

// slots hands out Model.slot.
var slots atomic.Int32

// slotOf returns m's slot, giving it one on first use.
func (m *Model[T]) slotOf() int {
	if s := m.slot.Load(); s != 0 {
		return int(s)
	}
	m.slot.CompareAndSwap(0, slots.Add(1))
	return int(m.slot.Load())
}

// RunMemo is a model whose result is an empty memo.Map for the run: what
// a rule works out per block (or any key) once, when many of its visits
// ask the same question of one block.
func RunMemo[K comparable, V any](name string) *Model[*memo.Map[K, V]] {
	return &Model[*memo.Map[K, V]]{Name: name, Compute: func(*Workspace) *memo.Map[K, V] { return &memo.Map[K, V]{} }}
}

// ResultOf returns m's result for ws, computing it on first use. It is
// safe for concurrent use. (A Workspace not made by Load has no memo and
// computes every time.)
func ResultOf[T any](ws *Workspace, m *Model[T]) T {
	if ws.results == nil {
		return m.Compute(ws)
	}
	r := ws.results.of(m.slotOf())
	r.once.Do(func() {
		defer func() {
			if v := recover(); v != nil {
				// The first asker's rule reports the panic itself; the
				// others are told what failed, not that nil is no T.
				r.failed = fmt.Sprintf("the model %s failed earlier in this run: %v", m.Name, v)
				panic(v)
			}
		}()
		r.value = m.Compute(ws)
	})
	if r.failed != "" {
		panic(r.failed)
	}
	return r.value.(T)
}

// results holds each model's result by the model's slot. Rules ask for
// models on every directive from all cores (a map keyed by the model was
// 2% of a lint): the list is read without a lock, and copied when a
// model is first asked for (a run has about twenty).
type results struct {
	mu     sync.Mutex
	bySlot atomic.Pointer[[]*result]
}

func (rs *results) of(slot int) *result {
	if cur := rs.bySlot.Load(); cur != nil && slot < len(*cur) {
		if r := (*cur)[slot]; r != nil {
			return r
		}
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	var next []*result
	if cur := rs.bySlot.Load(); cur != nil {
		if slot < len(*cur) && (*cur)[slot] != nil {
			return (*cur)[slot]
		}
		next = slices.Clone(*cur)
	}
	if slot >= len(next) {
		next = slices.Grow(next, slot+1-len(next))[:slot+1]
	}
	r := &result{}
	next[slot] = r
	rs.bySlot.Store(&next)
	return r
}

type result struct {
	once   sync.Once
	value  any
	failed string // why Compute panicked, when it did
}

// dispatcher takes each directive of the nginx trees once and hands every directive to the
// rules that declared its name (or "*"), as go/analysis's inspector
// hands nodes to analyzers by type. One task's dispatcher has its own
// visitors (each with the task's Pass) and shares the routes with the
// other tasks of the run.
type dispatcher struct {
	*routes
	visitors []*visitor // indexed as the rules the routes were made for

	// at and next are where the walk stands (the directive, and the
	// place of the next rule among its rules), so that after a rule's
	// panic visitAll goes on with the rule after it.
	at, next int
}

// routes say which rules declared each directive name, as indexes into
// the list of rules they were made for: worked out once per run.
type routes struct {
	// byID holds the rules of the names the directive table knows, by
	// spec.NameID; byName those of the names it does not.
	byID   [][]int32
	byName map[string][]int32
	any    []int32
	none   bool // no rule at all
}

type visitor struct {
	rule *Rule
	pass *Pass
	err  error // set when the rule panicked; it is not called again
}

func newRoutes(rules []*Rule) *routes {
	r := &routes{byID: make([][]int32, spec.NumIDs()), none: true}
	for i, rule := range rules {
		for _, name := range rule.Directives {
			r.none = false
			switch id := spec.ID(name); {
			case name == "*":
				r.any = append(r.any, int32(i))
			case id != spec.NoID:
				if !slices.Contains(r.byID[id], int32(i)) {
					r.byID[id] = append(r.byID[id], int32(i))
				}
			default:
				if r.byName == nil {
					r.byName = map[string][]int32{}
				}
				if !slices.Contains(r.byName[name], int32(i)) {
					r.byName[name] = append(r.byName[name], int32(i))
				}
			}
		}
	}
	return r
}

// visitAll hands each directive, in the order given (a run of the
// pre-order walk of the files), to the rules that declared its name. A
// rule that panics is not called again by this dispatcher (see visit).
func (d *dispatcher) visitAll(dirs []*nginx.Directive) {
	if d.none {
		return
	}
	for d.at < len(dirs) {
		d.visit(dirs)
	}
}

// visit walks on from where the dispatcher stands until the end or a
// rule's panic, which it records on the rule's visitor. One deferred
// recover for the walk, not one per call: the walk calls rules millions
// of times on a large file, and the deferred call was 3% of its CPU.
func (d *dispatcher) visit(dirs []*nginx.Directive) {
	var cur *visitor
	defer func() {
		if r := recover(); r != nil {
			if cur == nil {
				panic(r) // not a rule's: the walk's own
			}
			cur.err = panicError(cur.rule, r)
		}
	}()
	for ; d.at < len(dirs); d.at, d.next = d.at+1, 0 {
		dir := dirs[d.at]
		var named []int32
		if id := dir.NameID(); id != spec.NoID {
			named = d.byID[id]
		} else if len(d.byName) > 0 {
			named = d.byName[dir.Name]
		}
		for d.next < len(named)+len(d.any) {
			k := d.next
			d.next++ // first: after a panic the walk goes on with the next rule
			var i int32
			if k < len(named) {
				i = named[k]
			} else {
				i = d.any[k-len(named)]
			}
			if v := d.visitors[i]; v.err == nil {
				cur = v
				v.rule.Visit(v.pass, dir)
			}
		}
	}
}
