package validity

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var InvalidArgumentValue = registry.Add(&analyzer.Rule{
	ID:         "NGX321",
	Name:       "invalid-argument-value",
	Severity:   analyzer.Error,
	Summary:    "an argument value nginx cannot parse (10mb, 60sec, proxy_http_version 3, proxy_pass localhost:3000): nginx refuses to start",
	Tags:       []analyzer.Tag{analyzer.TagValidity},
	Precision:  analyzer.PrecisionVeryHigh,
	Fix:        analyzer.FixSafe,
	Directives: append(spec.ArgTypeNames(), spec.OwnParserNames()...),
	Visit:      visitArgumentValue,
	Doc: `## What it does
Checks the value of the directives that nginx parses with its generic parsers, as those parsers
read it:

- sizes (` + "`client_max_body_size`" + `, ` + "`proxy_buffer_size`" + ` ...): digits with an optional ` + "`k`" + ` or ` + "`m`" + `
  (and ` + "`g`" + ` for ` + "`client_max_body_size`" + ` and the other offsets); ` + "`10mb`" + ` and ` + "`1.5m`" + ` are not sizes;
- times (` + "`proxy_read_timeout`" + `, ` + "`keepalive_timeout`" + ` ...): numbers with the units ` + "`ms`" + `, ` + "`s`" + `, ` + "`m`" + `,
  ` + "`h`" + `, ` + "`d`" + `, ` + "`w`" + ` in decreasing order (` + "`1m 30s`" + `); ` + "`60sec`" + ` is not a time, and ` + "`ms`" + ` is not
  allowed where nginx counts in seconds (` + "`ssl_session_timeout`" + `);
- numbers (` + "`keepalive_requests`" + `, ` + "`gzip_comp_level`" + ` ...): digits only, within the bounds nginx
  checks afterwards (` + "`gzip_comp_level`" + ` 1 to 9, ` + "`limit_req_status`" + ` 400 to 599, ` + "`gzip_window`" + ` one of
  512 to 32k ...); checks against other directives (a buffer size against ` + "`proxy_buffers`" + `) are not made;
- buffers (` + "`proxy_buffers`" + `, ` + "`large_client_header_buffers`" + ` ...): a number above zero and a size;
- keywords (` + "`proxy_http_version`" + `, ` + "`ssl_protocols`" + `, ` + "`proxy_next_upstream`" + `, ` + "`gzip_proxied`" + ` ...): one of
  the words the directive knows, in any letter case; a word added in a later release
  (` + "`proxy_http_version 2`" + ` needs 1.29.4) is checked against the configured nginx version.

It also reads the directives that parse their values with a handler of their own, as those
handlers in nginx's sources read them (` + "`analyzer/nginx/spec/ownparsers.go`" + `), for example:

- the main and events levels: ` + "`worker_processes`" + ` (` + "`auto`" + ` or a number), ` + "`worker_connections`" + `, ` + "`worker_priority`" + `,
  ` + "`worker_cpu_affinity`" + `, ` + "`use`" + `;
- ` + "`set`" + ` and ` + "`auth_request_set`" + ` (the variable with its ` + "`$`" + `), ` + "`return`" + ` (a code up to 999, or alone a URL
  starting with ` + "`http://`" + `, ` + "`https://`" + ` or ` + "`$scheme`" + `), ` + "`rewrite`" + `'s flag, ` + "`error_page`" + ` (codes from 300 to 599);
- ` + "`allow`" + ` and ` + "`deny`" + ` (an address or network: ` + "`allow 10.0.0.0/8,192.168.0.0/16`" + ` and ` + "`allow localhost`" + `
  are refused), the ` + "`*_bind`" + ` addresses (an IP address, not a host name);
- ` + "`proxy_pass`" + ` without variables (` + "`http://`" + ` or ` + "`https://`" + `: ` + "`proxy_pass localhost:3000`" + ` is refused),
  ` + "`proxy_redirect`" + ` (and ` + "`proxy_redirect default`" + ` before its block's ` + "`proxy_pass`" + `, or after one built
  from variables), ` + "`add_header`" + `'s ` + "`always`" + `;
- an upstream ` + "`server`" + `'s parameters (` + "`max_fail=3`" + ` and ` + "`fail_timeout=10sec`" + ` are refused), ` + "`backup`" + `
  after ` + "`ip_hash`" + `, ` + "`hash`" + ` or ` + "`random`" + `, upstream ` + "`keepalive`" + `;
- ` + "`expires`" + `, ` + "`limit_rate`" + ` and the other rate limits without variables, ` + "`limit_conn`" + `, ` + "`limit_req`" + `,
  ` + "`limit_req_zone`" + `, ` + "`limit_conn_zone`" + `, the ` + "`*_cache_valid`" + ` directives, the ` + "`*_cache_path`" + ` parameters
  (` + "`levels=1:2`" + `, ` + "`keys_zone=NAME:SIZE`" + ` required, ` + "`inactive=`" + ` ...), ` + "`open_file_cache`" + `,
  ` + "`open_log_file_cache`" + `, ` + "`ssl_session_cache`" + `, ` + "`aio`" + `, ` + "`directio`" + `, the ` + "`*_store_access`" + ` and ` + "`dav_access`" + ` rights;
- ` + "`listen`" + `'s parameters (` + "`default_sever`" + `, ` + "`backlog=0`" + `, ` + "`so_keepalive=ON`" + ` are refused).

Parameters of other releases, of other platforms and of NGINX Plus are taken. A directive with the
wrong number of arguments is left to ` + "`invalid-argument-count`" + `; what nginx judges only on the host (a name
` + "`resolver`" + ` must resolve, a file that must exist) is not checked.

The generic parsers do not expand variables: ` + "`client_max_body_size ${UPLOAD_LIMIT}m;`" + ` is a template that
was not rendered, and the message says so. In a file named as a template (` + "`*.template`" + `, ` + "`*.j2`" + ` ...)
such a finding is info. The table of directives and kinds was read from
nginx's sources (see ` + "`analyzer/nginx/spec/argkinds.go`" + `).
Where the intent is plain (` + "`10mb`" + ` → ` + "`10m`" + `, ` + "`60sec`" + ` → ` + "`60s`" + `), the fix rewrites the
unit; it is safe.

## Why is this bad?
nginx refuses to start (` + "`\"client_max_body_size\" directive invalid value`" + `, ` + "`invalid value \"3\"`" + `), and a
reload keeps the old configuration, so the change never takes effect.

## Example
` + "```nginx" + `
client_max_body_size 10mb;
proxy_read_timeout 60sec;
proxy_http_version 3;
ssl_protocols TLSv1.2 TLSv1.4;
` + "```" + `

## Use instead
` + "```nginx" + `
client_max_body_size 10m;
proxy_read_timeout 60s;
proxy_http_version 1.1;
ssl_protocols TLSv1.2 TLSv1.3;
` + "```" + `
`,
})

func visitArgumentValue(p *analyzer.Pass, d *nginx.Directive) {
	fam := d.Module()
	if fam == "mail" {
		return // the mail modules are not in the table
	}
	t := spec.ArgTypeOfID(d.NameID(), fam)
	if t == nil {
		checkOwnParser(p, d, fam)
		switch {
		case d.Name == "server" && !d.HasBlock:
			checkBalancerParams(p, d)
		case d.Name == "proxy_redirect" && len(d.Args) == 1 && d.Args[0].Value == "default":
			checkRedirectDefault(p, d)
		}
		return
	}
	if len(d.Args) == 0 {
		return
	}
	switch t.Kind {
	case spec.KindBitmask:
		for _, a := range d.Args {
			checkWord(p, d, a, t)
		}
		return
	case spec.KindEnum:
		if len(d.Args) == 1 {
			checkWord(p, d, d.Args[0], t)
		}
		return
	case spec.KindBufs:
		if len(d.Args) == 2 {
			checkBufs(p, d)
		}
		return
	}
	if len(d.Args) == 2 && d.Name == "keepalive_timeout" && fam == "http" {
		// the core module's second value is the Keep-Alive header's, in seconds
		checkScalar(p, d, d.Args[1], &spec.ArgType{Kind: spec.KindSec})
	} else if len(d.Args) != 1 {
		return // the argument count is another rule's
	}
	checkScalar(p, d, d.Args[0], t)
}

func checkScalar(p *analyzer.Pass, d *nginx.Directive, a *nginx.Arg, t *spec.ArgType) {
	v, kind := a.Value, t.Kind
	var ok bool
	switch kind {
	case spec.KindSize, spec.KindOffset:
		ok = spec.ParseSize(v, kind == spec.KindOffset)
	case spec.KindMsec, spec.KindSec:
		ok = spec.ParseTime(v, kind == spec.KindSec)
	case spec.KindNumber:
		ok = spec.ParseNumber(v)
	default:
		return
	}
	if ok {
		checkBounds(p, d, a, t)
		return
	}
	// The words of the message, only for a finding: most values are valid.
	var takes, nginxSays string
	switch kind {
	case spec.KindSize, spec.KindOffset:
		units := "k or m"
		if kind == spec.KindOffset {
			units = "k, m or g"
		}
		takes = "a number of bytes with an optional " + units + " (10m)"
		nginxSays = fmt.Sprintf("%q directive invalid value", d.Name)
	case spec.KindMsec, spec.KindSec:
		takes = "a time: numbers with the units ms, s, m, h, d, w in decreasing order (30s, 1m 30s)"
		if kind == spec.KindSec {
			takes = "a time in seconds: numbers with the units s, m, h, d, w, M, y in decreasing order (10m, 1h), no ms"
		}
		nginxSays = fmt.Sprintf("%q directive invalid value", d.Name)
	default: // spec.KindNumber
		takes = "a whole number, digits only"
		nginxSays = fmt.Sprintf("%q directive invalid number", d.Name)
	}
	f := analyzer.Finding{Span: a.Span(), Message: fmt.Sprintf("%q is not a %s: %s takes %s%s, so nginx refuses to start "+
		"with %s", v, kind, d.Name, takes, variableNote(v), nginxSays)}
	if fixed := fixUnit(v, kind); fixed != "" {
		f.Message += fmt.Sprintf("; write %s", fixed)
		f.Fix = &analyzer.Fix{Title: fmt.Sprintf("write %s as %s", v, fixed), Safe: true,
			Edits: []analyzer.Edit{{Span: a.Span(), NewText: fixed}}}
	}
	if placeholderText(v) {
		inTemplate(&f)
	}
	p.Report(f)
}

// checkOwnParser checks the directives whose handler in nginx is their
// own (return, allow, error_page, worker_processes ...), as the model
// reads them.
func checkOwnParser(p *analyzer.Pass, d *nginx.Directive, fam string) {
	if !spec.HasOwnParserID(d.NameID()) || !countAccepted(p, d) {
		return // invalid-argument-count's
	}
	args := make([]string, len(d.Args))
	for i, a := range d.Args {
		args[i] = a.Value
	}
	r := spec.CheckOwnParserID(d.NameID(), fam, args, p.Settings.Nginx())
	if r == nil {
		return
	}
	if r.Arg < 0 { // a parameter is missing: at the directive
		p.Report(analyzer.Finding{Span: d.NameSpan(), Message: fmt.Sprintf("%s takes %s, so nginx refuses to start with %s",
			d.Name, r.Takes, r.Says)})
		return
	}
	a := d.Args[r.Arg]
	f := analyzer.Finding{Span: a.Span(), Message: fmt.Sprintf("nginx does not take %q here: %s takes %s%s, so it refuses to start with %s",
		a.Value, d.Name, r.Takes, variableNote(a.Value), r.Says)}
	if placeholderText(a.Value) {
		inTemplate(&f)
	}
	p.Report(f)
}

// hashBalancers are the balancing methods without backup servers (their
// flags lack NGX_HTTP_UPSTREAM_BACKUP): a server line after one of them
// that says backup is refused.
var hashBalancers = map[string]bool{"ip_hash": true, "hash": true, "random": true}

// checkBalancerParams reports backup on an upstream server that comes
// after ip_hash, hash or random in its upstream block.
func checkBalancerParams(p *analyzer.Pass, d *nginx.Directive) {
	if len(d.Args) < 2 {
		return
	}
	var backup *nginx.Arg
	for _, a := range d.Args[1:] {
		if a.Value == "backup" {
			backup = a
		}
	}
	if backup == nil {
		return
	}
	for _, s := range sitesOf(d) {
		up := d.EnclosingIn(s, "upstream")
		if up == nil {
			continue
		}
		balancer := lastBefore(up.Block, d, func(e *nginx.Directive) bool { return hashBalancers[e.Name] })
		if balancer != nil {
			p.Report(analyzer.Finding{Span: backup.Span(), Message: fmt.Sprintf("%s has no backup servers, so nginx refuses to start "+
				"(balancing method does not support parameter \"backup\"); remove backup, or balance with least_conn or round-robin",
				balancer.Name), Related: []source.Related{{Span: balancer.NameSpan(), Message: "the balancing method"}}})
			return
		}
	}
}

// checkRedirectDefault: proxy_redirect default reads the proxy_pass URL
// of its own level, so a proxy_pass without variables must come before it
// there.
func checkRedirectDefault(p *analyzer.Pass, d *nginx.Directive) {
	for _, s := range sitesOf(d) {
		level := d.ContainerIn(s)
		if level == nil {
			return // the top of a file linted alone: its level is not seen
		}
		pass := lastBefore(level.Block, d, func(e *nginx.Directive) bool { return e.Name == "proxy_pass" && len(e.Args) == 1 })
		switch {
		case pass == nil:
			p.Report(analyzer.Finding{Span: d.Args[0].Span(), Message: fmt.Sprintf("proxy_redirect default rewrites redirects from the "+
				"proxy_pass URL of its own block, and no proxy_pass comes before it in this %s: nginx refuses to start "+
				"(\"proxy_redirect default\" should be placed after the \"proxy_pass\" directive); move it below the proxy_pass, "+
				"or remove it (default is what nginx does anyway)", level.Name)})
			return
		case strings.Contains(pass.Args[0].Value, "$"):
			p.Report(analyzer.Finding{Span: d.Args[0].Span(), Message: "proxy_redirect default cannot rewrite redirects from a proxy_pass " +
				"URL built from variables: nginx refuses to start (\"proxy_redirect default\" cannot be used with \"proxy_pass\" " +
				"directive with variables); write the redirect to rewrite and its replacement instead",
				Related: []source.Related{{Span: pass.Args[0].Span(), Message: "the proxy_pass"}}})
			return
		}
	}
}

// countAccepted reports whether some entry of the table for d's name
// takes as many arguments as d has, in the configured release.
func countAccepted(p *analyzer.Pass, d *nginx.Directive) bool {
	for _, e := range spec.LookupAtID(d.NameID(), p.Settings.Nginx()) {
		if !e.Args.Block && arityAccepts(arityAt(d, e.Args, p.Settings.Nginx()), len(d.Args)) {
			return true
		}
	}
	return false
}

// checkBufs checks `NAME number size`: both must parse and be above
// zero.
func checkBufs(p *analyzer.Pass, d *nginx.Directive) {
	num, size := d.Args[0], d.Args[1]
	says := fmt.Sprintf("nginx refuses to start with %q directive invalid value", d.Name)
	if n, ok := spec.NumberValue(num.Value); !ok || n == 0 {
		f := analyzer.Finding{Span: num.Span(), Message: fmt.Sprintf("%q is not a number of buffers: %s takes a "+
			"whole number above zero, then a size (8 16k)%s, so %s", num.Value, d.Name, variableNote(num.Value), says)}
		if placeholderText(num.Value) {
			inTemplate(&f)
		}
		p.Report(f)
		return
	}
	if n, ok := spec.SizeValue(size.Value, false); !ok || n == 0 {
		f := analyzer.Finding{Span: size.Span(), Message: fmt.Sprintf("%q is not a buffer size: %s takes a number of "+
			"buffers, then a size in bytes above zero with an optional k or m (8 16k)%s, so %s", size.Value, d.Name,
			variableNote(size.Value), says)}
		if fixed := fixUnit(size.Value, spec.KindSize); fixed != "" {
			f.Message += "; write " + fixed
			f.Fix = &analyzer.Fix{Title: fmt.Sprintf("write %s as %s", size.Value, fixed), Safe: true,
				Edits: []analyzer.Edit{{Span: size.Span(), NewText: fixed}}}
		}
		if placeholderText(size.Value) {
			inTemplate(&f)
		}
		p.Report(f)
	}
}

// checkBounds applies the directive's post handler to a value that
// parses.
func checkBounds(p *analyzer.Pass, d *nginx.Directive, a *nginx.Arg, t *spec.ArgType) {
	if t.Check == nil {
		return
	}
	var n int64
	var ok bool
	switch t.Kind {
	case spec.KindNumber:
		n, ok = spec.NumberValue(a.Value)
	case spec.KindSize, spec.KindOffset:
		n, ok = spec.SizeValue(a.Value, t.Kind == spec.KindOffset)
	}
	if !ok {
		return
	}
	if fine, says := t.Check(n); !fine {
		p.Report(analyzer.Finding{Span: a.Span(), Message: fmt.Sprintf("%s %s is out of range, so nginx refuses to "+
			"start with %q", d.Name, a.Value, says)})
	}
}

// variableNote explains a value that holds a '$': these directives take
// it literally.
func variableNote(v string) string {
	if !strings.Contains(v, "$") {
		return ""
	}
	note := " and does not expand variables"
	if placeholderText(v) {
		note += " (this looks like a template placeholder that was not rendered)"
	}
	return note
}

// fixUnit rewrites a unit written out (10mb, 60sec, 5min) into nginx's,
// when the result parses; "" when there is no such rewrite.
func fixUnit(v string, kind spec.ArgKind) string {
	i := 0
	for i < len(v) && v[i] >= '0' && v[i] <= '9' {
		i++
	}
	if i == 0 || i == len(v) {
		return ""
	}
	num, unit := v[:i], strings.ToLower(v[i:])
	var to string
	switch kind {
	case spec.KindSize, spec.KindOffset:
		switch unit {
		case "kb", "kib":
			to = "k"
		case "mb", "mib":
			to = "m"
		case "gb", "gib":
			to = "g"
		}
		if to != "" && spec.ParseSize(num+to, kind == spec.KindOffset) {
			return num + to
		}
	case spec.KindMsec, spec.KindSec:
		switch unit {
		case "sec", "secs", "second", "seconds":
			to = "s"
		case "min", "mins", "minute", "minutes":
			to = "m"
		case "hour", "hours", "hr", "hrs":
			to = "h"
		case "day", "days":
			to = "d"
		case "msec", "millisecond", "milliseconds":
			to = "ms"
		}
		if to != "" && spec.ParseTime(num+to, kind == spec.KindSec) {
			return num + to
		}
	}
	return ""
}

func checkWord(p *analyzer.Pass, d *nginx.Directive, a *nginx.Arg, t *spec.ArgType) {
	v := a.Value
	for _, w := range t.Values {
		if !strings.EqualFold(w, v) {
			continue
		}
		ver := p.Settings.Nginx()
		if since := spec.ValueSince(d.Name, v); !since.IsZero() && ver.Less(since) {
			p.Report(analyzer.Finding{Span: a.Span(), Message: fmt.Sprintf("%s %s needs nginx %s or later and the "+
				"configuration is for nginx %s, so nginx refuses to start with invalid value %q", d.Name, v, since, ver, v)})
		}
		return
	}
	f := analyzer.Finding{Span: a.Span(), Message: fmt.Sprintf("%q is not a value of %s (it takes %s)%s, so nginx "+
		"refuses to start with invalid value %q", v, d.Name, strings.Join(t.Values, ", "), variableNote(v), v)}
	if placeholderText(v) {
		inTemplate(&f)
	}
	p.Report(f)
}
