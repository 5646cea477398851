package elastic

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/elastic"
	"github.com/ngxlint/ngxlint/analyzer/elastic/spec"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var ESLoopbackOnly = registry.Add(&analyzer.Rule{
	ID:        "ES101",
	Name:      "es-loopback-only",
	Severity:  analyzer.Warning,
	Summary:   "Elasticsearch / OpenSearch serves HTTP on loopback addresses only",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionHigh,
	Run:       runESLoopbackOnly,
	Doc: `## What it does
Works out the address the node binds its HTTP layer to, the way Elasticsearch does: the first of
` + "`http.bind_host`" + `, ` + "`http.host`" + `, ` + "`network.bind_host`" + ` and ` + "`network.host`" + ` that is set, else
` + "`_local_`" + `. Reports when every address in it is a loopback one: unset, ` + "`_local_`" + `,
` + "`_local:ipv4_`" + `, ` + "`_local:ipv6_`" + `, ` + "`localhost`" + `, ` + "`127.0.0.0/8`" + ` or ` + "`::1`" + `. It stays silent
for a ` + "`${VAR}`" + ` value, for a host name it cannot classify without resolving it, and when
` + "`http.enabled: false`" + ` turns the HTTP layer off. When nothing is set and the file uses settings
that the settings table says were removed in 5.0 or earlier (` + "`path.work`" + `, ` + "`bootstrap.mlockall`" + `,
...), it reports at info level only: Elasticsearch 1.x bound to every address by default. It also
reports at info level when the run's nginx proxies to the node, and only over loopback.

## Why is this bad?
A node bound to loopback accepts connections from its own host only. Clients, Kibana, Logstash or
an nginx proxy on another host, or in another container, get ` + "`ECONNREFUSED`" + ` on port 9200.
Elasticsearch 8's security auto-configuration adds ` + "`http.host: 0.0.0.0`" + ` on the first start of a
package install when none of these settings is present; a file deployed by other means (Docker
volume, configuration management) does not get that line.

## Example
` + "```yaml" + `
cluster.name: logs
network.host: _local_
` + "```" + `

## Use instead
Bind to the address clients use (or every address, behind a firewall):
` + "```yaml" + `
cluster.name: logs
network.host: _site_
` + "```" + `
`,
})

var ESCustomHTTPPort = registry.Add(&analyzer.Rule{
	ID:        "ES102",
	Name:      "es-custom-http-port",
	Severity:  analyzer.Info,
	Summary:   "http.port moves the HTTP layer away from the default port 9200",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionHigh,
	Run:       runESCustomHTTPPort,
	Doc: `## What it does
Reports an ` + "`http.port`" + ` setting whose first port is not 9200 (a single port, a range or a
list). It is silent for a range that starts at 9200 and for a ` + "`${VAR}`" + ` value.

## Why is this bad?
Clients, proxies, Kibana and monitoring default to port 9200. Every one of them that is not told
about the custom port gets connection refused, or reaches a different node that happens to
listen on 9200.

## Example
` + "```yaml" + `
http.port: 9250
` + "```" + `

## Use instead
Keep the default, or make sure every client (including nginx's ` + "`proxy_pass`" + `) names the port:
` + "```yaml" + `
http.port: 9200
` + "```" + `
`,
})

func runESLoopbackOnly(p *analyzer.Pass) {
	for _, s := range p.Nodes() {
		if hasDiagnostic(s, "yaml-syntax") {
			continue // what the node would do with a broken file is not ours to guess
		}
		if httpDisabled(s) {
			continue // no HTTP layer at all: where it would bind is moot
		}
		b := s.HTTPBind
		if b.Setting == nil {
			if rel, err := p.Settings.ElasticRelease(s); err == nil && s.Flavor == elastic.Elasticsearch &&
				!rel.Version.IsZero() && rel.Version.Major < 2 {
				continue // 1.x bound every address when nothing was set
			} else if err != nil || rel.Version.IsZero() {
				if key, until, ok := legacySetting(s); ok {
					p.Report(analyzer.Finding{Severity: analyzer.Info, Span: firstLine(s.File), Message: legacyMessage(key, until)})
					continue
				}
			}
			p.Report(viaLoopbackProxy(p, s, analyzer.Finding{Span: firstLine(s.File), Message: unsetBindMessage(s)}))
			continue
		}
		written, ok := allLoopback(b.Values)
		if !ok {
			continue
		}
		p.Report(viaLoopbackProxy(p, s, analyzer.Finding{
			Span: b.Values[0].Span,
			Message: fmt.Sprintf("%s: %s binds HTTP to loopback addresses only, so clients on other hosts or containers "+
				"get connection refused on port %s; bind to an address they can reach (for example _site_ or 0.0.0.0)",
				b.Key, strings.Join(written, ", "), portWords(s.HTTPPort)),
		}))
	}
}

// viaLoopbackProxy lowers f to info when the run's nginx proxies to the
// node, and only over loopback: the usual, intended set-up of a node
// published through a proxy on its own host.
func viaLoopbackProxy(p *analyzer.Pass, s *elastic.Settings, f analyzer.Finding) analyzer.Finding {
	var via *analyzer.NodeTarget
	for _, t := range p.NodeTargets() {
		if t.Node != s {
			continue
		}
		if elastic.ClassifyHost(t.Addr.Host) != elastic.Loopback {
			return f // xc-bind-mismatch reports the proxy that cannot reach it
		}
		if via == nil {
			via = &t
		}
	}
	if via != nil {
		f.Severity = analyzer.Info
		f.Message += fmt.Sprintf("; the nginx of this run (%s) reaches it over loopback, which is fine while every "+
			"client goes through that proxy", via.Where())
		f.Related = append(f.Related, source.Related{Span: via.Addr.HostSpan(), Message: "nginx proxies to the node over loopback here"})
	}
	return f
}

// httpDisabled reports `http.enabled: false` (Elasticsearch 6 and older:
// the node serves no HTTP at all).
func httpDisabled(s *elastic.Settings) bool {
	st := s.Get("http.enabled")
	return st != nil && len(st.Values) == 1 && strings.EqualFold(st.Values[0].Text, "false")
}

// allLoopback returns the values' texts when every one is a loopback
// address; a placeholder or a name that cannot be classified means we
// cannot tell, and say nothing.
func allLoopback(values []elastic.Value) ([]string, bool) {
	var written []string
	for _, v := range values {
		if v.Placeholder || elastic.ClassifyHost(v.Text) != elastic.Loopback {
			return nil, false
		}
		written = append(written, v.Text)
	}
	return written, len(written) > 0
}

// legacySetting returns the setting of the file that the oldest release
// dropped, when that release is 5.0 or earlier, and the first release
// without it, read from the settings table's version ranges. Such a file
// was written for Elasticsearch 1.x or 2.x.
func legacySetting(s *elastic.Settings) (string, spec.Version, bool) {
	if s.Flavor != elastic.Elasticsearch {
		return "", spec.Version{}, false
	}
	var key string
	var until spec.Version
	for _, st := range s.All {
		a := spec.Has(st.Key, spec.Release{Product: spec.Elasticsearch})
		if a.Status != spec.Removed || a.Until.IsZero() || !a.Until.Less(spec.Version{Major: 5, Minor: 1}) {
			continue
		}
		if key == "" || a.Until.Less(until) {
			key, until = st.Key, a.Until
		}
	}
	return key, until, key != ""
}

// legacyMessage explains why an unset bind address of an old file cannot
// be judged: Elasticsearch 1.x bound every address by default.
func legacyMessage(key string, until spec.Version) string {
	if until.Less(spec.Version{Major: 2, Minor: 1}) {
		return fmt.Sprintf("no HTTP bind address is set, and this file is for Elasticsearch 1.x (%s was removed in %s): "+
			"1.x binds every address by default, so clients on other hosts reach it; Elasticsearch 2.0 and later would "+
			"bind loopback only, so set network.host before upgrading", key, until)
	}
	return fmt.Sprintf("no HTTP bind address is set: Elasticsearch 2.0 and later then serve HTTP on loopback only, but this file "+
		"uses %s (removed in %s) and Elasticsearch 1.x bound to every address by default, so whether clients "+
		"on other hosts are refused depends on the version; set network.host, or elasticsearch.version in .ngxlint.yml, to say which", key, until)
}

func unsetBindMessage(s *elastic.Settings) string {
	msg := "none of http.bind_host, http.host, network.bind_host or network.host is set, so the node binds HTTP to " +
		"_local_ (127.0.0.1 and [::1]) and clients on other hosts or containers get connection refused on port " +
		portWords(s.HTTPPort) + "; set network.host (or http.host) to an address they can reach"
	if s.Flavor == elastic.Elasticsearch {
		msg += " (Elasticsearch 8's security auto-configuration adds http.host: 0.0.0.0 only on the first start of a package install)"
	}
	return msg
}

// portWords names the HTTP port for a message.
func portWords(ps elastic.PortSpec) string {
	if first := ps.First(); first != 0 {
		return fmt.Sprint(first)
	}
	return "9200"
}

func runESCustomHTTPPort(p *analyzer.Pass) {
	for _, s := range p.Nodes() {
		ps := s.HTTPPort
		if ps.Setting == nil || ps.Placeholder || ps.Err != "" || len(ps.Setting.Values) == 0 {
			continue
		}
		first := ps.First()
		if first == 9200 || first == 0 {
			continue
		}
		v := ps.Setting.Values[0]
		what := fmt.Sprintf("serves HTTP on port %d", first)
		if len(ps.Ranges) > 1 || ps.Ranges[0][0] != ps.Ranges[0][1] {
			what = fmt.Sprintf("takes the first free port of %s, starting at %d", v.Text, first)
		}
		p.Reportf(v.Span, "http.port %s: the node %s, not 9200, so clients and proxies that assume 9200 get "+
			"connection refused; make sure each of them names port %d", v.Text, what, first)
	}
}

func hasDiagnostic(s *elastic.Settings, code string) bool {
	for _, d := range s.Diagnostics {
		if d.Code == code && !d.Info {
			return true
		}
	}
	return false
}

// firstLine spans the file's first line: where a finding about the file
// as a whole points.
func firstLine(f *source.File) source.Span {
	return f.Span(0, len(f.Line(1)))
}
