package security

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
)

var NginxCVE = registry.Add(&analyzer.Rule{
	ID:        "NGX439",
	Name:      "nginx-cve",
	Severity:  analyzer.Warning,
	Summary:   "the configured nginx version has a known vulnerability that this configuration's features reach",
	Tags:      []analyzer.Tag{analyzer.TagSecurity},
	Precision: analyzer.PrecisionHigh,
	Fix:       analyzer.FixNone,
	Aliases:   []string{"nginx_cves"},
	Run:       runNginxCVE,
	Doc: `## What it does
When the nginx version is given (` + "`--nginx-version`" + ` or ` + "`nginx.version`" + ` in ` + "`.ngxlint.yml`" + `),
looks up the security fixes nginx's own change log records after that release, and reports each
vulnerability whose trigger the configuration uses: the ` + "`resolver`" + ` directive for the resolver
bugs, HTTP/2 or HTTP/3 listens for the protocol bugs, ` + "`mp4`" + ` for the mp4 module, and so on. The
finding points at the first directive that reaches the vulnerable code and names the releases
that fix it. Without a given version the rule is silent: it will not accuse a release the
configuration may not run on.

The table (CVE, the releases that fixed it on each branch, the trigger) was taken from
` + "`docs/xml/nginx/changes.xml`" + ` at every release tag of nginx's repository; a release is affected
when its own branch fixed the bug in a later release, or no earlier branch fixed it at all. The
table starts at 1.9.0; for older releases the rule says nothing.

## Why is this bad?
These are bugs an attacker can trigger from the network (crafted requests, QUIC sessions, DNS
answers, mp4 files) to crash workers, read their memory or worse, and the configuration turns on
exactly the code they are in.

## Example
With ` + "`--nginx-version 1.20.0`" + `:
` + "```nginx" + `
resolver 8.8.8.8;
` + "```" + `

## Use instead
Upgrade to a release that has the fix (for CVE-2021-23017, 1.20.1 or 1.21.0 and later), or stop
using the feature until you can.
`,
})

// cveEntry is one fix of nginx's change log: the CVEs it closed, the
// first release of each branch that has it, what the bug does, and what
// in a configuration reaches it.
type cveEntry struct {
	ids     []string
	fixed   []string
	what    string
	trigger func(*nginx.Directive) bool
}

// featureSince is the first release with the feature a bug is in, for
// features younger than the table: HTTP/3 came in 1.25.0. Keyed by the
// entry's first CVE.
var featureSince = map[string]string{
	"CVE-2024-24989": "1.25.0", "CVE-2024-31079": "1.25.0", "CVE-2026-40460": "1.25.0", "CVE-2026-42530": "1.25.0",
}

func named(names ...string) func(*nginx.Directive) bool {
	return func(d *nginx.Directive) bool {
		for _, n := range names {
			if d.Name == n {
				return true
			}
		}
		return false
	}
}

func http2Used(d *nginx.Directive) bool {
	if d.Name == "http2" {
		return len(d.Args) == 1 && d.Args[0].Value == "on"
	}
	l, ok := nginx.ListenOf(d)
	return ok && l.HTTP2
}

func http3Used(d *nginx.Directive) bool {
	if d.Name == "http3" {
		return len(d.Args) == 1 && d.Args[0].Value == "on"
	}
	l, ok := nginx.ListenOf(d)
	return ok && l.QUIC
}

func argHas(name string, values ...string) func(*nginx.Directive) bool {
	return func(d *nginx.Directive) bool {
		if d.Name != name {
			return false
		}
		for _, a := range d.Args {
			for _, v := range values {
				if strings.EqualFold(a.Value, v) {
					return true
				}
			}
		}
		return false
	}
}

func httpBlock(d *nginx.Directive) bool { return d.Name == "http" && d.HasBlock }

var cveTable = []cveEntry{
	{[]string{"CVE-2016-0742", "CVE-2016-0746", "CVE-2016-0747"}, []string{"1.9.10"},
		"crafted DNS answers can crash workers or exhaust them through CNAME chains", named("resolver")},
	{[]string{"CVE-2016-4450"}, []string{"1.10.1", "1.11.1"},
		"a crafted request body written to a temporary file can crash a worker", httpBlock},
	{[]string{"CVE-2017-7529"}, []string{"1.12.1", "1.13.3"},
		"a crafted Range header overflows an integer in the range filter and can leak memory (cache headers)", httpBlock},
	{[]string{"CVE-2018-16843", "CVE-2018-16844"}, []string{"1.14.1", "1.15.6"},
		"HTTP/2 clients can exhaust memory and CPU", http2Used},
	{[]string{"CVE-2018-16845"}, []string{"1.14.1", "1.15.6"},
		"a crafted mp4 file can disclose worker memory", named("mp4")},
	{[]string{"CVE-2019-9511", "CVE-2019-9513", "CVE-2019-9516"}, []string{"1.16.1", "1.17.3"},
		"HTTP/2 clients can exhaust memory and CPU (data dribble, resource loop, zero-length headers)", http2Used},
	{[]string{"CVE-2021-23017"}, []string{"1.20.1", "1.21.0"},
		"a forged DNS answer overwrites one byte of worker memory: a crash or possibly code execution", named("resolver")},
	{[]string{"CVE-2022-41741", "CVE-2022-41742"}, []string{"1.22.1", "1.23.2"},
		"a crafted mp4 file can crash a worker or disclose its memory", named("mp4")},
	{[]string{"CVE-2024-24989", "CVE-2024-24990"}, []string{"1.25.4"},
		"a crafted QUIC session can crash a worker", http3Used},
	{[]string{"CVE-2024-31079", "CVE-2024-32760", "CVE-2024-34161", "CVE-2024-35200"}, []string{"1.26.1", "1.27.0"},
		"a crafted QUIC session can crash a worker or disclose its memory", http3Used},
	{[]string{"CVE-2024-7347"}, []string{"1.26.2", "1.27.1"},
		"a crafted mp4 file can crash a worker", named("mp4")},
	{[]string{"CVE-2025-23419"}, []string{"1.26.3", "1.27.4"},
		"TLS 1.3 session reuse across virtual servers can bypass client certificate verification",
		argHas("ssl_verify_client", "on", "optional", "optional_no_ca")},
	{[]string{"CVE-2025-53859"}, []string{"1.28.1", "1.29.1"},
		"a crafted login with SMTP's none authentication discloses worker memory to the auth server", argHas("smtp_auth", "none")},
	{[]string{"CVE-2026-1642"}, []string{"1.28.2", "1.29.5"},
		"an attacker can inject plain-text data into a response from a TLS backend",
		func(d *nginx.Directive) bool {
			return d.Name == "proxy_pass" && len(d.Args) > 0 && strings.HasPrefix(strings.ToLower(d.Args[0].Value), "https://")
		}},
	{[]string{"CVE-2026-27651"}, []string{"1.28.3", "1.29.7"},
		"CRAM-MD5 or APOP authentication with retries can crash a worker",
		func(d *nginx.Directive) bool {
			return argHas("smtp_auth", "cram-md5")(d) || argHas("pop3_auth", "cram-md5", "apop")(d) || argHas("imap_auth", "cram-md5")(d)
		}},
	{[]string{"CVE-2026-27654"}, []string{"1.28.3", "1.29.7"},
		"a COPY or MOVE request in a location with alias overflows a buffer and can write outside the root",
		argHas("dav_methods", "COPY", "MOVE")},
	{[]string{"CVE-2026-27784", "CVE-2026-32647"}, []string{"1.28.3", "1.29.7"},
		"a crafted mp4 file can crash a worker", named("mp4")},
	{[]string{"CVE-2026-28753"}, []string{"1.28.3", "1.29.7"},
		"PTR records can inject data into auth_http requests and XCLIENT commands", named("auth_http")},
	{[]string{"CVE-2026-28755"}, []string{"1.28.3", "1.29.7"},
		"stream's TLS handshake can succeed although OCSP rejects the client certificate",
		func(d *nginx.Directive) bool { return d.Name == "ssl_ocsp" && d.Module() == "stream" }},
	{[]string{"CVE-2026-40460"}, []string{"1.30.1", "1.31.0"},
		"QUIC connection migration lets an attacker spoof client addresses", http3Used},
	{[]string{"CVE-2026-40701"}, []string{"1.30.1", "1.31.0"},
		"DNS answers during ssl_ocsp checks can corrupt worker memory", argHas("ssl_ocsp", "on", "leaf")},
	{[]string{"CVE-2026-42926"}, []string{"1.30.1", "1.31.0"},
		"with proxy_set_body an attacker can inject data into requests to an HTTP/2 backend", named("proxy_set_body")},
	{[]string{"CVE-2026-42934"}, []string{"1.30.1", "1.31.0"},
		"decoding UTF-8 through charset_map can disclose worker memory", named("charset_map")},
	{[]string{"CVE-2026-42945"}, []string{"1.30.1", "1.31.0"},
		"a crafted request overflows a buffer in the rewrite module: possibly code execution", named("rewrite")},
	{[]string{"CVE-2026-42946"}, []string{"1.30.1", "1.31.0"},
		"a crafted scgi or uwsgi backend response can disclose worker memory", named("scgi_pass", "uwsgi_pass")},
	{[]string{"CVE-2026-9256"}, []string{"1.30.2", "1.31.1"},
		"overlapping captures in rewrite regexes overflow a buffer: possibly code execution", named("rewrite")},
	{[]string{"CVE-2026-42055"}, []string{"1.30.3", "1.31.2"},
		"with ignore_invalid_headers off and large header buffers, a request proxied to HTTP/2 or gRPC overflows a buffer",
		argHas("ignore_invalid_headers", "off")},
	{[]string{"CVE-2026-48142"}, []string{"1.30.3", "1.31.2"},
		"decoding UTF-8 through charset_map can disclose worker memory", named("charset_map")},
	{[]string{"CVE-2026-42530"}, []string{"1.31.2"},
		"a crafted QUIC session can corrupt worker memory", http3Used},
	{[]string{"CVE-2026-42533"}, []string{"1.30.4", "1.31.3"},
		"a map with regex keys used after a capture overflows a buffer", func(d *nginx.Directive) bool {
			if d.Name != "map" {
				return false
			}
			for _, e := range d.Block {
				if strings.HasPrefix(e.Name, "~") {
					return true
				}
			}
			return false
		}},
	{[]string{"CVE-2026-56434"}, []string{"1.30.4", "1.31.3"},
		"a crafted backend response through the SSI filter can use freed memory", argHas("ssi", "on")},
	{[]string{"CVE-2026-60005"}, []string{"1.30.4", "1.31.3"},
		"unnamed captures with slice or background cache updates can disclose worker memory",
		func(d *nginx.Directive) bool {
			return d.Name == "slice" || strings.HasSuffix(d.Name, "_cache_background_update") && len(d.Args) == 1 && d.Args[0].Value == "on"
		}},
}

// affected reports whether release v lacks the fix: its own branch fixed
// it in a later release, or no branch before v's fixed it at all.
func affected(v spec.Version, fixed []string) bool {
	earlier := false
	for _, f := range fixed {
		fv, err := spec.ParseVersion(f)
		if err != nil {
			continue
		}
		if fv.Major == v.Major && fv.Minor == v.Minor {
			return v.Less(fv)
		}
		if fv.Major < v.Major || fv.Major == v.Major && fv.Minor < v.Minor {
			earlier = true
		}
	}
	return !earlier
}

func runNginxCVE(p *analyzer.Pass) {
	if !p.Settings.NginxVersionGiven {
		return
	}
	v := p.Settings.Nginx()
	if v.Less(spec.Version{Major: 1, Minor: 9}) {
		return // the table starts at 1.9.0: older branches' own fixes are not in it
	}
	var live []cveEntry
	for _, e := range cveTable {
		if affected(v, e.fixed) && (featureSince[e.ids[0]] == "" || !v.Less(mustVersion(featureSince[e.ids[0]]))) {
			live = append(live, e)
		}
	}
	if len(live) == 0 {
		return
	}
	first := make([]*nginx.Directive, len(live))
	p.Workspace.WalkNginx(func(d *nginx.Directive) {
		for i, e := range live {
			if first[i] == nil && e.trigger(d) {
				first[i] = d
			}
		}
	})
	for i, e := range live {
		d := first[i]
		if d == nil {
			continue
		}
		span := d.NameSpan()
		if d.Name == "listen" && len(d.Args) > 1 {
			span = d.Args[0].Span()
		}
		p.Report(analyzer.Finding{Span: span, Message: fmt.Sprintf("nginx %s (the configured version) has %s: %s, and "+
			"this configuration reaches it here; upgrade to %s or later on its branch", v, strings.Join(e.ids, ", "),
			e.what, strings.Join(e.fixed, " / "))})
	}
}

func mustVersion(s string) spec.Version {
	v, err := spec.ParseVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}
