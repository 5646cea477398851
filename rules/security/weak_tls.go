package security

import (
	"fmt"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

var WeakTLS = registry.Add(&analyzer.Rule{
	ID:         "NGX430",
	Name:       "weak-tls",
	Severity:   analyzer.Warning,
	Summary:    "ssl_protocols or ssl_ciphers enables a protocol version or cipher that is broken",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionVeryHigh,
	Fix:        analyzer.FixUnsafe,
	Aliases:    []string{"weak_ssl_tls"},
	Directives: []string{"ssl_protocols", "proxy_ssl_protocols", "grpc_ssl_protocols", "uwsgi_ssl_protocols", "ssl_ciphers", "proxy_ssl_ciphers", "grpc_ssl_ciphers", "uwsgi_ssl_ciphers"},
	Visit:      visitWeakTLS,
	Doc: `## What it does
Reports each broken protocol version in ` + "`ssl_protocols`" + ` (and the ` + "`proxy_`" + `, ` + "`grpc_`" + ` and
` + "`uwsgi_`" + ` variants that talk to backends): SSLv2, SSLv3, TLSv1 and TLSv1.1; and each cipher
family in ` + "`ssl_ciphers`" + ` (and variants) that the string turns on rather than off: NULL and
eNULL (no encryption), aNULL, ADH and AECDH (no authentication), EXPORT and EXP, RC4, DES and
3DES, MD5. Tokens that start with ` + "`!`" + ` or ` + "`-`" + ` remove ciphers and are fine, and a family
deleted with ` + "`!`" + ` anywhere in the string is not reported.

## Why is this bad?
SSLv3 falls to POODLE, TLS 1.0 and 1.1 were deprecated by RFC 8996 and are refused by current
browsers, so enabling them only helps an attacker force a downgrade. The listed ciphers give no
encryption, no authentication of the server, or keys that can be broken in practice (RC4 biases,
Sweet32 against 64-bit block ciphers, export-grade keys).

## Example
` + "```nginx" + `
ssl_protocols TLSv1 TLSv1.1 TLSv1.2;
ssl_ciphers HIGH:RC4-SHA:!aNULL;
` + "```" + `

## Use instead
` + "```nginx" + `
ssl_protocols TLSv1.2 TLSv1.3;
ssl_ciphers HIGH:!aNULL:!MD5;
` + "```" + `

For ` + "`ssl_protocols`" + `, the fix removes the broken versions when a sound one remains. It is unsafe:
clients that speak only the removed versions (very old Android, Windows XP, embedded devices) can
no longer connect.
`,
})

var brokenProtocols = map[string]string{
	"SSLv2": "SSLv2 is broken beyond repair", "SSLv3": "SSLv3 falls to POODLE",
	"TLSv1": "TLS 1.0 is deprecated (RFC 8996)", "TLSv1.1": "TLS 1.1 is deprecated (RFC 8996)",
}

// brokenCiphers are OpenSSL cipher-string words and name parts that turn
// on ciphers without encryption, without authentication, or with keys
// that can be broken.
var brokenCiphers = []struct{ word, why string }{
	{"eNULL", "no encryption"}, {"NULL", "no encryption"}, {"aNULL", "no server authentication"},
	{"ADH", "no server authentication"}, {"AECDH", "no server authentication"},
	{"EXPORT", "export-grade keys"}, {"EXP", "export-grade keys"}, {"RC4", "RC4's biases"},
	{"3DES", "Sweet32 on its 64-bit blocks"}, {"DES", "DES keys or Sweet32"}, {"MD5", "MD5 message authentication"},
}

func visitWeakTLS(p *analyzer.Pass, d *nginx.Directive) {
	if strings.HasSuffix(d.Name, "_protocols") {
		weakProtocols(p, d)
		return
	}
	if len(d.Args) != 1 {
		return
	}
	a := d.Args[0]
	// "!X" deletes X for good, wherever it stands in the string.
	deleted := map[string]bool{}
	for _, tok := range strings.Split(a.Value, ":") {
		if w, ok := strings.CutPrefix(tok, "!"); ok {
			deleted[w] = true
		}
	}
	for _, tok := range strings.Split(a.Value, ":") {
		if tok == "" || strings.ContainsAny(tok[:1], "!-+") || strings.Contains(a.Raw(), "$") {
			continue
		}
		for _, b := range brokenCiphers {
			if cipherNames(tok, b.word) && !deleted[b.word] && !deleted[tok] {
				p.Report(analyzer.Finding{Span: a.Span(), Message: fmt.Sprintf("%s turns on %s ciphers (%s): a client "+
					"or attacker can get a connection that offers %s; remove %s or exclude it with !%s", d.Name, tok, b.word, b.why, tok, b.word)})
				break
			}
		}
	}
}

// cipherNames reports whether an OpenSSL cipher-string token selects
// ciphers of the family word: the token is the word, or a cipher name
// with the word as one of its dash-separated parts (DES-CBC3-SHA is 3DES).
func cipherNames(tok, word string) bool {
	for _, part := range strings.FieldsFunc(tok, func(r rune) bool { return r == '-' || r == '+' }) {
		switch {
		case part == word:
			return true
		case word == "3DES" && part == "CBC3":
			return true
		case word == "RC4" && strings.HasPrefix(part, "RC4"):
			return true
		}
	}
	return false
}

func weakProtocols(p *analyzer.Pass, d *nginx.Directive) {
	var weak []*nginx.Arg
	sound := 0
	for _, a := range d.Args {
		if _, bad := brokenProtocols[a.Value]; bad {
			weak = append(weak, a)
		} else {
			sound++
		}
	}
	for i, a := range weak {
		f := analyzer.Finding{Span: a.Span(), Message: fmt.Sprintf("%s enables %s: %s and current browsers refuse it, so "+
			"it only lets an attacker push a connection down to it; remove it (TLSv1.2 TLSv1.3 is the usual set)",
			d.Name, a.Value, brokenProtocols[a.Value])}
		if i == 0 && sound > 0 {
			var edits []analyzer.Edit
			for _, w := range weak {
				edits = append(edits, analyzer.Edit{Span: removalSpan(d.Config.File, w), NewText: ""})
			}
			f.Fix = &analyzer.Fix{Title: "Remove the broken protocol versions", Edits: edits}
		}
		p.Report(f)
	}
}

// removalSpan covers an argument and the blanks before it, so removing
// it leaves single spaces.
func removalSpan(f *source.File, a *nginx.Arg) source.Span {
	start := a.Start()
	for start > 0 && (f.Src[start-1] == ' ' || f.Src[start-1] == '\t') {
		start--
	}
	return f.Span(start, a.End())
}
