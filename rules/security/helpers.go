package security

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/pcre"
	"github.com/ngxlint/ngxlint/analyzer/nginx/vars"
	"github.com/ngxlint/ngxlint/analyzer/source"
	"github.com/ngxlint/ngxlint/internal/memo"
)

// sitesOf returns the inclusion sites of d's file; one zero Site for a
// directive that belongs to no file.
func sitesOf(d *nginx.Directive) []nginx.Site {
	if d.Config == nil {
		return []nginx.Site{{}}
	}
	return d.Config.Sites()
}

// subSpan maps the byte range [start, end) of arg.Value to the source,
// exactly, through quotes, escapes and line breaks (Arg.ValueSpan); a
// range that is not inside the value gives the whole argument.
func subSpan(arg *nginx.Arg, start, end int) source.Span {
	if start < 0 || end < start || end > len(arg.Value) {
		return arg.Span()
	}
	return arg.ValueSpan(start, end)
}

// refOffset is where reference r starts in its argument's Value, -1 when
// the reference is not inside the value's text.
func refOffset(r vars.Ref) int {
	return r.Arg.ValueOffset(r.Start() - r.Arg.Start())
}

// parsed parses a regex; nil when PCRE would refuse it (the regex-unparsed
// rule reports that once).
func parsed(r nginx.RegexArg) *pcre.Regex {
	re, err := r.Parse()
	if err != nil {
		return nil
	}
	return re
}

// routingRegexes are the directives whose regexes decide where a request
// goes and what the variables hold; clientRegexes adds the other regexes
// nginx matches against what the client sends (the Referer, the
// User-Agent, the URI), for the rules about the cost of a match.
var (
	routingRegexes = []string{"location", "if", "rewrite", "server_name", "map"}
	clientRegexes  = append(slices.Clip(routingRegexes), "valid_referers", "gzip_disable", "fastcgi_split_path_info")
)

// regexesOf returns the regexes of d, one directive (a map entry too),
// that these rules read: those of the routing directives.
func regexesOf(d *nginx.Directive) []nginx.RegexArg {
	return ofKinds(nginx.Regexes(d), routingRegexes)
}

// regexesIn returns the regexes of d whose kind is one of kinds, those of
// its entries for a map block (nginx.RegexesIn).
func regexesIn(d *nginx.Directive, kinds []string) []nginx.RegexArg {
	return ofKinds(nginx.RegexesIn(d), kinds)
}

// ofKinds keeps the regexes whose kind (RegexArg.Kind) is one of kinds.
func ofKinds(rs []nginx.RegexArg, kinds []string) []nginx.RegexArg {
	var out []nginx.RegexArg
	for _, r := range rs {
		if slices.Contains(kinds, r.Kind()) {
			out = append(out, r)
		}
	}
	return out
}

// valueAt asks the variables model what $r holds at d, at every site of
// d's file, joining the answers; unknown is true when any site's answer
// comes from code (Lua, njs, Perl) or a regex we cannot read.
func valueAt(ix *vars.Index, d *nginx.Directive, r vars.Ref) (v vars.Value, props vars.Props) {
	first := true
	for _, s := range sitesOf(d) {
		x := ix.Ref(d, s, r)
		if first {
			v, props, first = x, x.Props, false
			continue
		}
		props = vars.Join(props, x.Props)
	}
	return v, props
}

// quote writes a value for a message.
func quote(s string) string { return fmt.Sprintf("%q", s) }

// enclosingLocation is the innermost location around d (at its file's
// first site), or nil.
func enclosingLocation(d *nginx.Directive) *nginx.Directive { return d.Enclosing("location") }

// isInternal reports whether location l carries `internal` (once per
// location and run: a location of thousands of if blocks that each pass
// the request asks for every one).
func isInternal(p *analyzer.Pass, l *nginx.Directive) bool {
	return l != nil && analyzer.FirstAtLevel(p.Workspace, l, "internal") != nil
}

// maxRelatedLines bounds the lost lines a finding lists as related
// locations. A level can lose thousands (a generated server with as many
// add_header lines) and each of its locations reports them: listed in
// full, the report grew with their product (900 MB of JSON for 2,000 of
// each).
const maxRelatedLines = 20

// distinctLines returns the lines of lists in order, each once (a file
// included at two levels can bring one line twice).
func distinctLines(lists [][]*nginx.Directive) []*nginx.Directive {
	n := 0
	for _, list := range lists {
		n += len(list)
	}
	out := make([]*nginx.Directive, 0, n)
	if n <= 16 { // a few lines: scanned
		for _, list := range lists {
			for _, x := range list {
				if !slices.Contains(out, x) {
					out = append(out, x)
				}
			}
		}
		return out
	}
	seen := make(map[*nginx.Directive]struct{}, n)
	for _, list := range lists {
		for _, x := range list {
			if _, dup := seen[x]; !dup {
				seen[x] = struct{}{}
				out = append(out, x)
			}
		}
	}
	return out
}

// nameSet is a set of header names compared without letter case: the few
// names a level sets are scanned, more are kept lower-cased in a map.
// The few are held in the set itself, so that a set of a level's
// handful of names allocates nothing.
type nameSet struct {
	buf  [8]string
	n    int
	many map[string]bool
}

// few returns the names scanned (none once they are in the map).
func (s *nameSet) few() []string { return s.buf[:s.n] }

func (s *nameSet) add(name string) {
	if s.many == nil && s.n < len(s.buf) {
		s.buf[s.n] = name
		s.n++
		return
	}
	if s.many == nil {
		s.many = make(map[string]bool, 16)
		for _, f := range s.few() {
			s.many[strings.ToLower(f)] = true
		}
		s.n = 0
	}
	s.many[strings.ToLower(name)] = true
}

func (s *nameSet) has(name string) bool {
	if s.many != nil {
		return s.many[strings.ToLower(name)]
	}
	for _, f := range s.few() {
		if strings.EqualFold(f, name) {
			return true
		}
	}
	return false
}

// ascii reports whether every name in s is written in ASCII, where
// comparing lower cases is comparing without letter case.
func (s *nameSet) ascii() bool {
	for _, f := range s.few() {
		if !source.IsASCIIString(f) {
			return false
		}
	}
	for n := range s.many {
		if !source.IsASCIIString(n) {
			return false
		}
	}
	return true
}

// lowers lists the names in s in lower case, each once.
func (s *nameSet) lowers() []string {
	if s.many != nil {
		return slices.Collect(maps.Keys(s.many))
	}
	var out []string
	for _, f := range s.few() {
		if l := strings.ToLower(f); !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// smallRun is the length up to which a run of dropped lines is read
// whole for each level that drops it.
const smallRun = 64

// shownLines is how many lost lines a finding names or relates.
const shownLines = max(maxNamed, maxRelatedLines)

// runKey names one run of dropped lines: the list of an outer level,
// handed to every inner level that drops it.
type runKey struct {
	first **nginx.Directive
	n     int
}

// runSummary is what the inner levels ask of a long run: the lines the
// rule counts, and how many of them carry each header name, lower-cased.
type runSummary struct {
	kept   []*nginx.Directive
	byName map[string]int
	ascii  bool // every kept line's header name is in ASCII
}

type runMemo = analyzer.Model[*memo.Map[runKey, *runSummary]]

// lostFrom returns the lines of run that keep accepts and whose header
// name (the first argument) own does not hold, how many there are, and
// whether one of them has a name in flag (nil: not asked). A long run is
// summed up once per lint through m, and only its first shownLines lost
// lines are returned (all of them with all set): a server of thousands of
// add_header lines, dropped by each of its thousands of locations, was
// read whole for every location.
func lostFrom(ws *analyzer.Workspace, m *runMemo, run []*nginx.Directive, keep func(*nginx.Directive) bool,
	own, flag *nameSet, all bool) (lost []*nginx.Directive, total int, flagged bool) {
	var sum *runSummary
	if !all && len(run) > smallRun && own.ascii() && (flag == nil || flag.ascii()) {
		sum = analyzer.ResultOf(ws, m).Get(runKey{&run[0], len(run)}, func() *runSummary {
			sum := &runSummary{byName: map[string]int{}, ascii: true}
			for _, x := range run {
				if keep(x) {
					sum.kept = append(sum.kept, x)
					sum.byName[strings.ToLower(x.Args[0].Value)]++
					sum.ascii = sum.ascii && source.IsASCIIString(x.Args[0].Value)
				}
			}
			return sum
		})
	}
	if sum == nil || !sum.ascii {
		for _, x := range run {
			if keep(x) && !own.has(x.Args[0].Value) {
				lost = append(lost, x)
				flagged = flagged || flag != nil && flag.has(x.Args[0].Value)
			}
		}
		return lost, len(lost), flagged
	}
	total = len(sum.kept)
	for _, n := range own.lowers() {
		total -= sum.byName[n]
	}
	for _, x := range sum.kept {
		if len(lost) == shownLines {
			break
		}
		if !own.has(x.Args[0].Value) {
			lost = append(lost, x)
		}
	}
	if flag != nil {
		for _, h := range flag.lowers() {
			if sum.byName[h] > 0 && !own.has(h) {
				flagged = true
				break
			}
		}
	}
	return lost, total, flagged
}

// relatedLines lists the first maxRelatedLines of lost as related
// locations, each with its header's name and why.
func relatedLines(lost []*nginx.Directive, why string) []source.Related {
	related := make([]source.Related, 0, min(len(lost), maxRelatedLines))
	for _, x := range lost[:min(len(lost), maxRelatedLines)] {
		related = append(related, source.Related{Span: x.Span(), Message: x.Args[0].Value + " " + why})
	}
	return related
}
