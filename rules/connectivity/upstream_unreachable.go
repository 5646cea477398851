package connectivity

import "github.com/ngxlint/ngxlint/analyzer"

// The rules below report what only the running system can tell: live mode
// (analyzer/live) and the error-log reader (analyzer/errorlog) create
// their findings. Statically they say nothing, so their Run is empty.

var UpstreamUnreachable = registry.Add(&analyzer.Rule{
	ID:        "NGX201",
	Name:      "upstream-unreachable",
	Severity:  analyzer.Error,
	Summary:   "with --live: an upstream peer or proxy target refuses, times out or is unreachable",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity, analyzer.TagLive},
	Precision: analyzer.PrecisionVeryHigh,
	Run:       func(*analyzer.Pass) {},
	Doc: `## What it does
Only with ` + "`--live`" + `. Resolves the host of every upstream ` + "`server`" + ` and of every ` + "`proxy_pass`" + `,
` + "`fastcgi_pass`" + `, ` + "`uwsgi_pass`" + `, ` + "`scgi_pass`" + `, ` + "`grpc_pass`" + ` and ` + "`memcached_pass`" + ` that names a
host, the way nginx does (the hosts file counts), dials each address, and reports the directive when
nothing accepts the connection (refused, timed out, unreachable), when the name does not resolve, or
when some of its addresses fail while others accept. Peers marked ` + "`down`" + `, unix sockets and
hosts held in variables are not dialled. Without ` + "`--live`" + ` it reports nothing.

## Why is this bad?
nginx resolves these names once, at start-up, and connects to the addresses at request time. A
peer that refuses gets ` + "`connect() failed (111: Connection refused) while connecting to upstream`" + ` in
the error log and is marked down for a while; when no peer is left, clients get 502 Bad Gateway.
A name that does not resolve stops nginx from starting at all (` + "`host not found in upstream`" + `).

## Example
` + "```nginx" + `
upstream app {
    server 127.0.0.1:3000;   # nothing listens on port 3000
}
` + "```" + `

## Use instead
Start the backend, or point nginx at the address and port it really listens on:
` + "```nginx" + `
upstream app {
    server 127.0.0.1:3001;
}
` + "```" + `
`,
})

var UpstreamErrorLog = registry.Add(&analyzer.Rule{
	ID:        "NGX202",
	Name:      "upstream-error-log",
	Severity:  analyzer.Warning,
	Summary:   "with --error-log: nginx's error log shows upstream failures caused by this directive",
	Tags:      []analyzer.Tag{analyzer.TagConnectivity, analyzer.TagLive},
	Precision: analyzer.PrecisionHigh,
	Run:       func(*analyzer.Pass) {},
	Doc: `## What it does
Only with ` + "`--error-log FILE`" + `. Reads nginx's error log, recognises the upstream failures in it
(` + "`connect() failed`" + ` with 111 Connection refused, 110 Connection timed out, 113 No route to host or
101 Network is unreachable; ` + "`upstream timed out`" + `; ` + "`upstream server temporarily disabled`" + `;
` + "`no live upstreams`" + `; ` + "`upstream prematurely closed connection`" + `; ` + "`host not found in upstream`" + `;
failed SSL handshakes to upstream), maps the address each line names (` + "`upstream: \"http://[::1]:3000/\"`" + `)
back to the directive whose expansion produced it, and reports one finding per directive and kind of
failure, with the number of lines and the first and last time seen. Without ` + "`--error-log`" + ` it
reports nothing. A failure that comes from what a host name gives (refused or unreachable addresses,
a name that does not resolve) is reported on the host, where ` + "`upstream-localhost`" + ` reports too;
one about what serves at the port (a refused IP literal, a dropped connection, a read that timed
out, a failed TLS handshake) is reported on the host and port.

## Why is this bad?
The error log names resolved addresses (` + "`[::1]:3000`" + `), not the line of configuration that
produced them; an operator who sees ` + "`connect() failed (111: Connection refused)`" + ` for an address
that appears nowhere in the configuration cannot tell which ` + "`server`" + ` or ` + "`proxy_pass`" + ` to change.

## Example
` + "```nginx" + `
upstream app {
    server localhost:3000;   # the log shows [::1]:3000 refused: the backend listens on 127.0.0.1 only
}
` + "```" + `

## Use instead
` + "```nginx" + `
upstream app {
    server 127.0.0.1:3000;
}
` + "```" + `
`,
})
