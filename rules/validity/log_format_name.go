package validity

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var LogFormatName = registry.Add(&analyzer.Rule{
	ID:         "NGX330",
	Name:       "log-format-name",
	Severity:   analyzer.Error,
	Summary:    "a log_format name given twice, or an access_log format not defined before it: nginx refuses to start",
	Tags:       []analyzer.Tag{analyzer.TagValidity},
	Precision:  analyzer.PrecisionVeryHigh,
	Fix:        analyzer.FixNone,
	Directives: []string{"http"},
	Visit:      visitLogFormatNames,
	Doc: `## What it does
Reads an ` + "`http`" + ` block in the order nginx reads it (included files in their place) and finds:

- a ` + "`log_format`" + ` whose name an earlier one already has, letter case included; ` + "`combined`" + ` is
  built in, so ` + "`log_format combined ...`" + ` is one too;
- an ` + "`access_log`" + ` whose format (its second argument) no ` + "`log_format`" + ` above it defines, compared
  without regard to case. nginx looks formats up when it reads the ` + "`access_log`" + ` line, so a format
  defined further down does not count, and ` + "`access_log /var/log/x.log buffer=32k;`" + ` names a format
  called ` + "`buffer=32k`" + `.

After an ` + "`include`" + ` that loaded nothing, a missing format is not reported: the file may define it.

## Why is this bad?
nginx refuses to start: ` + "`duplicate \"log_format\" name \"main\"`" + ` or ` + "`unknown log format \"main\"`" + `. A site
file that defines the format its neighbour also defines, or one included before the main file's
` + "`log_format`" + `, is the usual cause.

## Example
` + "```nginx" + `
events {}
http {
    include conf.d/*.conf;
    log_format main '$remote_addr "$request" $status';
    access_log /var/log/nginx/access.log buffer=32k;
}
` + "```" + `
` + "```nginx conf.d/app.conf" + `
server {
    listen 80;
    access_log /var/log/nginx/app.log main;   # read before the log_format below
}
` + "```" + `

## Use instead
` + "```nginx" + `
events {}
http {
    log_format main '$remote_addr "$request" $status';
    include conf.d/*.conf;
    access_log /var/log/nginx/access.log combined buffer=32k;
}
` + "```" + `
` + "```nginx conf.d/app.conf" + `
server {
    listen 80;
    access_log /var/log/nginx/app.log main;
}
` + "```" + `
`,
})

// formatSet holds the log_formats met so far, in order, found by name
// (as a repeat is) and by name in any letter case (as access_log finds
// one) without a scan: an http block may define thousands.
type formatSet struct {
	names  []string              // in order, for a did-you-mean
	first  map[string]*nginx.Arg // the first definition of each name; nil for the built-in combined
	folded map[string]bool
}

func (s *formatSet) add(name string, arg *nginx.Arg) {
	if s.first == nil {
		s.first, s.folded = map[string]*nginx.Arg{}, map[string]bool{}
	}
	if _, ok := s.first[name]; !ok {
		s.first[name] = arg
	}
	s.folded[strings.ToLower(name)] = true
	s.names = append(s.names, name)
}

func visitLogFormatNames(p *analyzer.Pass, d *nginx.Directive) {
	if !d.HasBlock || d.Parent != nil && d.Module() != "http" {
		return
	}
	var formats formatSet
	formats.add("combined", nil)
	blind := false
	var later map[string]*nginx.Arg // formats defined anywhere, for the message
	laterFormats := func() map[string]*nginx.Arg {
		if later == nil {
			later = formatsIn(d.Block)
		}
		return later
	}
	nginx.WalkExpanded(d.Block, func(e *nginx.Directive) bool {
		switch {
		case e.Name == "include":
			blind = blind || blindInclude(e)
		case e.Name == "log_format" && len(e.Args) >= 2:
			checkFormatName(p, e.Args[0], &formats)
			formats.add(e.Args[0].Value, e.Args[0])
		case e.Name == "access_log" && len(e.Args) >= 2 && e.Args[0].Value != "off" && !blind:
			checkAccessLogFormat(p, e.Args[1], &formats, laterFormats)
		}
		// log_format belongs to the http level, which is walked whole; a
		// server or location block out of the run's focus holds only
		// access_logs whose findings are not wanted.
		return !e.HasBlock || p.InFocus(e)
	})
}

func checkFormatName(p *analyzer.Pass, a *nginx.Arg, formats *formatSet) {
	first, ok := formats.first[a.Value]
	if !ok {
		return
	}
	if first == nil {
		p.Report(analyzer.Finding{Span: a.Span(), Message: fmt.Sprintf("log_format %s redefines nginx's built-in format: "+
			"nginx refuses to start (duplicate \"log_format\" name %q); give it another name", a.Value, a.Value)})
		return
	}
	p.Report(analyzer.Finding{Span: a.Span(), Message: fmt.Sprintf("log_format %s is already defined at %s: nginx refuses "+
		"to start (duplicate \"log_format\" name %q); keep one, or rename this one", a.Value, placeFrom(first.Span(), a.Span()), a.Value),
		Related: []source.Related{{Span: first.Span(), Message: "first defined here"}}})
}

// checkAccessLogFormat reports an access_log format that none of formats
// defines; later gives the block's formats by lower-case name, for the
// message (a walk of its own, made only for a finding).
func checkAccessLogFormat(p *analyzer.Pass, a *nginx.Arg, formats *formatSet, later func() map[string]*nginx.Arg) {
	if formats.folded[strings.ToLower(a.Value)] {
		return
	}
	msg := fmt.Sprintf("access_log names the format %q, which no log_format above it defines: nginx refuses to start "+
		"(unknown log format %q)", a.Value, a.Value)
	var related []source.Related
	switch def := later()[strings.ToLower(a.Value)]; {
	case def != nil:
		msg += fmt.Sprintf("; nginx reads formats in order and %s defines it further down: move that log_format above", placeFrom(def.Span(), a.Span()))
		related = []source.Related{{Span: def.Span(), Message: "defined after its use"}}
	case strings.Contains(a.Value, "="):
		msg += "; the second argument of access_log is always the format: write one before it (combined for the default)"
	default:
		hint := "; define it, or use combined"
		if n, ok := closeName(a.Value, formats.names); ok {
			hint = fmt.Sprintf("; did you mean %q?", n)
		}
		msg += hint
	}
	p.Report(analyzer.Finding{Span: a.Span(), Message: msg, Related: related})
}

// formatsIn finds every log_format of a block, includes followed, by
// lower-case name.
func formatsIn(list []*nginx.Directive) map[string]*nginx.Arg {
	out := map[string]*nginx.Arg{}
	nginx.WalkExpanded(list, func(e *nginx.Directive) bool {
		if e.Name == "log_format" && len(e.Args) >= 2 {
			if _, ok := out[strings.ToLower(e.Args[0].Value)]; !ok {
				out[strings.ToLower(e.Args[0].Value)] = e.Args[0]
			}
		}
		return true
	})
	return out
}
