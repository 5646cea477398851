package security

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ngxlint/ngxlint/internal/lazyre"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
)

var SSLECDHCurve = registry.Add(&analyzer.Rule{
	ID:         "NGX440",
	Name:       "ssl-ecdh-curve",
	Severity:   analyzer.Warning,
	Summary:    "ssl_ecdh_curve offers a key-exchange curve below 256 bits or one deprecated for TLS",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionVeryHigh,
	Fix:        analyzer.FixNone,
	Aliases:    []string{"ssl_ecdh_curve"},
	Directives: []string{"ssl_ecdh_curve", "ssl_conf_command"},
	Visit:      visitSSLECDHCurve,
	Doc: `## What it does
Reports each curve in ` + "`ssl_ecdh_curve`" + ` (and in ` + "`ssl_conf_command Groups`" + ` or ` + "`Curves`" + `) that is smaller
than 256 bits (` + "`secp192r1`" + `, ` + "`secp224r1`" + `, ` + "`prime192v1`" + `, ` + "`brainpoolP224r1`" + ` ...) or that TLS has
deprecated (RFC 8422): the binary curves (` + "`sect163k1`" + `, ` + "`sect571r1`" + ` ...) and ` + "`secp256k1`" + `. The
finding points at the curve inside the list.

## Why is this bad?
The curve sets the strength of the ECDHE key exchange that protects every session key. A curve
below 256 bits gives less than 128-bit security, below what the certificate and cipher promise;
the binary and Koblitz curves were dropped from TLS and browsers no longer offer them, so listing
them only widens what a client may negotiate. When such a curve is the only one listed, every
connection uses it.

## Example
` + "```nginx" + `
ssl_ecdh_curve secp192r1:secp384r1;
` + "```" + `

## Use instead
` + "```nginx" + `
ssl_ecdh_curve X25519:prime256v1:secp384r1;
` + "```" + `
or leave the directive out (` + "`auto`" + `, OpenSSL's built-in list, is the default since nginx 1.11.0).
`,
})

// curveBits reads the size out of OpenSSL's curve names.
var curveBits = lazyre.New(`^(?:sec[pt]|prime|brainpoolp|p-|c2[pt]nb|c2onb|wap-wsg-idm-ecid-wtls)(\d+)`)

// curveWeakness says why a curve name is weak, "" when it is not.
func curveWeakness(name string) string {
	n := strings.ToLower(name)
	switch {
	case strings.HasPrefix(n, "sect") || strings.HasPrefix(n, "c2"):
		return "a binary curve, deprecated for TLS (RFC 8422) and offered by no current browser"
	case strings.HasPrefix(n, "wap-"):
		return "a WAP curve, below 256 bits and not meant for TLS"
	case n == "secp256k1":
		return "a Koblitz curve deprecated for TLS (RFC 8422) and offered by no current browser"
	}
	m := curveBits.Re().FindStringSubmatch(n)
	if m == nil {
		return ""
	}
	bits, err := strconv.Atoi(m[1])
	if err != nil || bits >= 256 {
		return ""
	}
	return fmt.Sprintf("a %d-bit curve, below the 128-bit security of a 256-bit one", bits)
}

func visitSSLECDHCurve(p *analyzer.Pass, d *nginx.Directive) {
	var list *nginx.Arg
	switch d.Name {
	case "ssl_ecdh_curve":
		if len(d.Args) == 1 {
			list = d.Args[0]
		}
	case "ssl_conf_command":
		if len(d.Args) == 2 && (strings.EqualFold(d.Args[0].Value, "Groups") || strings.EqualFold(d.Args[0].Value, "Curves")) {
			list = d.Args[1]
		}
	}
	if list == nil || strings.Contains(list.Value, "$") {
		return
	}
	start := 0
	for _, name := range strings.Split(list.Value, ":") {
		end := start + len(name)
		// OpenSSL 3 marks optional groups with a leading '?'.
		curve := strings.TrimPrefix(name, "?")
		if why := curveWeakness(curve); why != "" {
			p.Report(analyzer.Finding{
				Span: subSpan(list, end-len(curve), end),
				Message: fmt.Sprintf("%s lists %s, %s: remove it and keep X25519, prime256v1 or secp384r1",
					d.Name, curve, why),
			})
		}
		start = end + 1
	}
}
