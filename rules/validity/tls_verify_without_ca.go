package validity

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var TLSVerifyWithoutCA = registry.Add(&analyzer.Rule{
	ID:         "NGX335",
	Name:       "tls-verify-without-ca",
	Severity:   analyzer.Error,
	Summary:    "ssl_verify_client or proxy_ssl_verify is on without the CA certificates to verify against, so nginx refuses to start",
	Tags:       []analyzer.Tag{analyzer.TagValidity},
	Precision:  analyzer.PrecisionHigh,
	Fix:        analyzer.FixNone,
	Directives: []string{"server", "proxy_pass", "grpc_pass", "uwsgi_pass"},
	Visit:      visitTLSVerifyWithoutCA,
	Doc: `## What it does
Checks the two places nginx verifies a peer's certificate and needs the certificates of the
authorities to verify it against, with what is in effect there (set in the block or inherited):

- a server that serves TLS (it has an ` + "`ssl_certificate`" + `; in a ` + "`stream`" + ` block, a
  ` + "`listen ... ssl`" + ` too) with ` + "`ssl_verify_client on`" + ` or ` + "`optional`" + ` needs
  ` + "`ssl_client_certificate`" + ` (from nginx 1.27.2, ` + "`ssl_trusted_certificate`" + ` does too);
  ` + "`optional_no_ca`" + ` needs neither;
- a location whose ` + "`proxy_pass`" + ` is ` + "`https://`" + ` (or ` + "`grpc_pass grpcs://`" + `, ` + "`uwsgi_pass suwsgi://`" + `,
  or a target in variables) with ` + "`proxy_ssl_verify on`" + ` (` + "`grpc_ssl_verify`" + `, ` + "`uwsgi_ssl_verify`" + `)
  needs ` + "`proxy_ssl_trusted_certificate`" + ` (` + "`grpc_`" + `, ` + "`uwsgi_`" + `).

A server or location whose settings may come from a block ngxlint cannot read (an include that
loaded nothing, a file linted without its main file) is left alone.

## Why is this bad?
nginx refuses to start: ` + "`no ssl_client_certificate for ssl_verify_client`" + ` or
` + "`no proxy_ssl_trusted_certificate for proxy_ssl_verify`" + `. Verification turned on while the CA file
is forgotten, or kept in a snippet another server includes, is the usual cause.

## Example
` + "```nginx" + `
location /api/ {
    proxy_pass https://api.internal:8443;
    proxy_ssl_verify on;
}
` + "```" + `

## Use instead
` + "```nginx" + `
location /api/ {
    proxy_pass https://api.internal:8443;
    proxy_ssl_verify on;
    proxy_ssl_trusted_certificate /etc/ssl/internal-ca.pem;
}
` + "```" + `
`,
})

// trustedSinceForClients is the release from which ssl_trusted_certificate
// alone lets ssl_verify_client verify.
var trustedSinceForClients = spec.Version{Major: 1, Minor: 27, Patch: 2}

// tlsSchemes are the target schemes under which each pass speaks TLS.
var tlsSchemes = map[string]string{"proxy_pass": "https://", "grpc_pass": "grpcs://", "uwsgi_pass": "suwsgi://"}

// sslListen reports a server block with a listen ... ssl (includes
// followed).
func sslListen(srv *nginx.Directive) bool {
	found := false
	nginx.AtLevel(srv.Block, func(e *nginx.Directive) bool {
		if e.Name == "listen" {
			if l, ok := nginx.ListenOf(e); ok && l.SSL {
				found = true
			}
		}
		return !found
	})
	return found
}

// tlsPass reports a pass whose target nginx may speak TLS to: its scheme
// says so, or variables may hold one that does (nginx prepares TLS for
// both).
func tlsPass(d *nginx.Directive) bool {
	if len(d.Args) == 0 {
		return false
	}
	v := d.Args[0].Value
	return strings.HasPrefix(strings.ToLower(v), tlsSchemes[d.Name]) || strings.Contains(v, "$")
}

func visitTLSVerifyWithoutCA(p *analyzer.Pass, d *nginx.Directive) {
	module := d.Module()
	if module != "http" && (module != "stream" || d.Name != "server") || d.Name != "server" && !tlsPass(d) {
		return
	}
	inh := analyzer.ResultOf(p.Workspace, analyzer.Inheritance)
	v := p.Settings.Nginx()
	for _, s := range d.Config.Sites() {
		if s.Root == nil || s.Root.Implied != nil {
			continue // the http block around it is not read
		}
		// last returns the line of name in effect here, and whether
		// ngxlint can see all there is.
		last := func(name string) (*nginx.Directive, bool) {
			r := inh.Resolve(d, s, name, v)
			if len(r.Effective) == 0 {
				return nil, !r.Unresolved
			}
			return r.Effective[len(r.Effective)-1], !r.Unresolved
		}
		if d.Name == "server" {
			verify, ok := last("ssl_verify_client")
			if !ok || verify == nil || len(verify.Args) != 1 {
				continue
			}
			mode := strings.ToLower(verify.Args[0].Value)
			if mode != "on" && mode != "optional" {
				continue
			}
			cert, ok1 := last("ssl_certificate")
			ca, ok2 := last("ssl_client_certificate")
			trusted, ok3 := last("ssl_trusted_certificate")
			if module == "stream" && !sslListen(d) {
				cert = nil // a stream server verifies on its listen ... ssl only
			}
			if !ok1 || !ok2 || !ok3 || cert == nil || ca != nil || trusted != nil && !v.Less(trustedSinceForClients) {
				continue
			}
			want, refusal := "ssl_client_certificate", "no ssl_client_certificate for ssl_verify_client"
			if !v.Less(trustedSinceForClients) {
				want = "ssl_client_certificate (or ssl_trusted_certificate)"
				refusal = "no ssl_client_certificate or ssl_trusted_certificate for ssl_verify_client"
			}
			p.Report(analyzer.Finding{Span: verify.Args[0].Span(), Message: fmt.Sprintf("ssl_verify_client %s is in "+
				"effect in this server, which serves TLS, without %s: nginx refuses to start (%s); add %s with the "+
				"certificates of the authorities that sign client certificates", mode, want, refusal, want),
				Related: []source.Related{{Span: d.NameSpan(), Message: "the server it applies to"}}})
			return
		}
		prefix := strings.TrimSuffix(d.Name, "_pass")
		verify, ok := last(prefix + "_ssl_verify")
		if !ok || verify == nil || len(verify.Args) != 1 || !strings.EqualFold(verify.Args[0].Value, "on") {
			continue
		}
		if ca, ok := last(prefix + "_ssl_trusted_certificate"); !ok || ca != nil {
			continue
		}
		p.Report(analyzer.Finding{Span: d.Args[0].Span(), Message: fmt.Sprintf("%s %s: %s_ssl_verify on is in effect "+
			"here without %s_ssl_trusted_certificate: nginx refuses to start (no %s_ssl_trusted_certificate for "+
			"%s_ssl_verify); add %s_ssl_trusted_certificate with the certificates of the authority that signs the "+
			"backend's certificate", d.Name, d.Args[0].Value, prefix, prefix, prefix, prefix, prefix),
			Related: []source.Related{{Span: verify.NameSpan(), Message: prefix + "_ssl_verify on"}}})
		return
	}
}
