package syntax

import (
	"github.com/ngxlint/ngxlint/analyzer"
)

// The loaders find these problems while parsing; each rule below reports
// the loader diagnostics of its code, so that they can be enabled,
// disabled and suppressed like any other finding.

// reportDiagnostics returns a Run that reports the loader diagnostics whose
// Code is the rule's name, lowering to info those the loader marked unsure.
func reportDiagnostics(p *analyzer.Pass) {
	for _, d := range p.Workspace.Diagnostics() {
		if d.Code != p.Rule.Name || p.NotNodeFile(d.Span.File) {
			continue // another rule's, or a client's configuration (es-not-node-settings)
		}
		f := analyzer.Finding{Span: d.Span, Message: d.Message, Related: d.Related}
		if d.Info {
			f.Severity = analyzer.Info
		}
		p.Report(f)
	}
}

var NginxSyntax = registry.Add(&analyzer.Rule{
	ID:        "NGX001",
	Name:      "nginx-syntax",
	Severity:  analyzer.Error,
	Summary:   "the nginx configuration does not parse",
	Tags:      []analyzer.Tag{analyzer.TagSyntax},
	Precision: analyzer.PrecisionVeryHigh,
	Run:       reportDiagnostics,
	Doc: `## What it does
Reports what nginx's own parser would refuse: a stray or missing brace, an unterminated quote, a
directive without its terminating ` + "`;`" + `, a NUL or other binary byte. Each finding points at
the offending token; ngxlint keeps parsing after it, so the rest of the file is still checked.
A brace from a template that was never rendered (` + "`{VAR}`" + `, ` + "`{{ var }}`" + `, ` + "`{% ... %}`" + `) is
reported with nginx's own words and the hint that it looks like a placeholder: nginx reads its
` + "`{`" + ` as the start of a block.

## Why is this bad?
nginx refuses to start or reload with a configuration that does not parse (` + "`nginx -t`" + ` fails
with ` + "`[emerg]`" + `), and a reload in production leaves the old configuration running while the
change you deployed silently does nothing.

## Example
` + "```nginx" + `
server {
    listen 80;
    server_name example.com
}
` + "```" + `

nginx -t: ` + "`unexpected \"}\"`" + `; ngxlint points at ` + "`server_name`" + `, the directive the ` + "`;`" + ` is missing from.

## Use instead
` + "```nginx" + `
server {
    listen 80;
    server_name example.com;
}
` + "```" + `
`,
})

var IncludeNotFound = registry.Add(&analyzer.Rule{
	ID:        "NGX002",
	Name:      "include-not-found",
	Severity:  analyzer.Warning,
	Summary:   "an include names a file that does not exist",
	Tags:      []analyzer.Tag{analyzer.TagIncludes},
	Precision: analyzer.PrecisionHigh,
	Run:       reportDiagnostics,
	Doc: `## What it does
Reports an ` + "`include`" + ` of a single file (no wildcard) that does not exist: for a main file,
neither beside it (where nginx looks) nor under ` + "`--prefix`" + `; for a fragment, under ` + "`--prefix`" + ` or
the folders it may be included from. Absolute paths, files that nginx
packages ship (` + "`mime.types`" + `, ` + "`fastcgi_params`" + `, ...) and includes in a fragment whose prefix
has to be guessed are reported at info level only: they may well exist on the host you deploy to.

An absolute include (` + "`/etc/nginx/conf.d/x.conf`" + `) in a repository is looked for around the
main file first, its folder taken as nginx's prefix (` + "`conf.d/x.conf`" + ` beside it); when only this
machine has the file, it is read and an info says so, since this machine's file is then linted
in place of the server's. ` + "`--root DIR`" + ` (` + "`nginx.root`" + `) reads every absolute path under DIR instead,
as in a container image's file system; a miss there is a warning.

## Why is this bad?
nginx fails to start when a non-wildcard include is missing (` + "`open() \"...\" failed (2: No such file or directory)`" + `),
and whatever the file should have configured is not checked by ngxlint either.

## Example
` + "```nginx" + `
events {}
http {
    include conf.d/upstreams.conf;   # the file is called upstream.conf
}
` + "```" + `

## Use instead
` + "```nginx" + `
events {}
http {
    include conf.d/upstream.conf;
}
` + "```" + `
` + "```nginx conf.d/upstream.conf" + `
upstream app { server 127.0.0.1:8080; }
` + "```" + `
`,
})

var IncludeError = registry.Add(&analyzer.Rule{
	ID:        "NGX003",
	Name:      "include-error",
	Severity:  analyzer.Error,
	Summary:   "an include forms a cycle or names a directory or special file",
	Tags:      []analyzer.Tag{analyzer.TagIncludes},
	Precision: analyzer.PrecisionVeryHigh,
	Run:       reportDiagnostics,
	Doc: `## What it does
Reports an ` + "`include`" + ` that nginx cannot use: one that includes itself through a chain of other
files, or one that names a directory, a FIFO or a device instead of a regular file.

## Why is this bad?
An include cycle makes nginx recurse until it gives up; a directory or special file makes it fail
to start or hang reading it.

## Example
` + "```nginx" + `
events {}
http {
    include a.conf;
}
` + "```" + `
` + "```nginx a.conf" + `
include b.conf;
` + "```" + `
` + "```nginx b.conf" + `
include a.conf;   # back to a.conf: a cycle
` + "```" + `

## Use instead
Include each file from one place only, and name files, not folders
(` + "`include conf.d/*.conf;`" + `).
`,
})

var NotAnalysed = registry.Add(&analyzer.Rule{
	ID:        "NGX006",
	Name:      "not-analysed",
	Severity:  analyzer.Warning,
	Summary:   "part of a file was not checked: it passed a limit that bounds a run's memory",
	Tags:      []analyzer.Tag{analyzer.TagMeta},
	Precision: analyzer.PrecisionVeryHigh,
	Run:       reportDiagnostics,
	Doc: `## What it does
Reports where ngxlint stopped reading, because the input passed one of the limits that keep a
run's memory bounded on hostile or runaway input:

- more than ` + "`--max-nodes`" + ` directives and arguments in one run (500,000 by default, all files
  together): the rest of the file where the limit was reached is skipped, and so are the files
  read after it;
- blocks nested more than 1,000 deep: the contents of the block past that depth are skipped.

These are ngxlint's limits, not nginx's: the configuration may be valid. Nothing in the skipped
text is checked by any rule.

## Why is this bad?
A run that reports nothing else says nothing about the skipped part: a missing ` + "`;`" + `, an SSRF or a
typo in an upstream there goes unreported. A formatter run (` + "`ngxlint fmt`" + `) refuses such a file,
since printing the tree would drop the text it skipped.

## Example
A generated configuration with a 600,000-entry ` + "`map`" + ` passes the default limit of 500,000
directives and arguments; the same happens to this one with ` + "`--max-nodes 8`" + `:

` + "```nginx" + `
map $request_uri $redirect_to {
    /old/1 /new/1;
    /old/2 /new/2;
    /old/3 /new/3;
    /old/4 /new/4;
}
` + "```" + `

## Use instead
Lint it whole with a larger limit, or none, where the machine has the memory (a few hundred bytes
per directive and argument): ` + "`ngxlint lint --max-nodes 0 nginx.conf`" + `.
`,
})

var YAMLSyntax = registry.Add(&analyzer.Rule{
	ID:        "ES001",
	Name:      "yaml-syntax",
	Severity:  analyzer.Error,
	Summary:   "the Elasticsearch / OpenSearch settings file is not valid YAML",
	Tags:      []analyzer.Tag{analyzer.TagSyntax, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionVeryHigh,
	Run:       reportDiagnostics,
	Doc: `## What it does
Reports a settings file (elasticsearch.yml, opensearch.yml) that does not parse as YAML, or whose
top level is not a mapping of settings.

## Why is this bad?
The node refuses to start, so every client, and every nginx proxy in front of it, gets
connection refused.

## Example
` + "```yaml" + `
network.host: [_local_, _site_
` + "```" + `

## Use instead
` + "```yaml" + `
network.host: [_local_, _site_]
` + "```" + `
`,
})

var ESDuplicateKey = registry.Add(&analyzer.Rule{
	ID:        "ES002",
	Name:      "es-duplicate-key",
	Severity:  analyzer.Error,
	Summary:   "a key appears twice in the same YAML mapping",
	Tags:      []analyzer.Tag{analyzer.TagSyntax, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionVeryHigh,
	Run:       reportDiagnostics,
	Doc: `## What it does
Reports a key written twice in one mapping of a settings file, for example a setting you added at
the top and the same setting in a block an installer appended.

## Why is this bad?
Elasticsearch refuses to start on a duplicate field, so the node never listens.

## Example
` + "```yaml" + `
http.port: 9200
http.port: 9201
` + "```" + `

## Use instead
Keep one of the two.
`,
})

var ESKeyCollision = registry.Add(&analyzer.Rule{
	ID:        "ES003",
	Name:      "es-key-collision",
	Severity:  analyzer.Warning,
	Summary:   "one setting is defined twice, once flat and once nested",
	Tags:      []analyzer.Tag{analyzer.TagSyntax, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionHigh,
	Run:       reportDiagnostics,
	Doc: `## What it does
Reports a setting that two different YAML paths define: ` + "`network.host: a`" + ` and
` + "`network:\\n  host: b`" + ` both set ` + "`network.host`" + `.

## Why is this bad?
Only one of the two values takes effect, and which one is easy to misread: the node may listen
somewhere other than where the first definition you read says.

## Example
` + "```yaml" + `
network.host: 10.0.0.5
network:
  host: _local_
` + "```" + `

## Use instead
Define each setting once.
`,
})

var ESListShape = registry.Add(&analyzer.Rule{
	ID:        "ES004",
	Name:      "es-list-shape",
	Severity:  analyzer.Error,
	Summary:   "a settings list holds a mapping, a nested list or an empty item",
	Tags:      []analyzer.Tag{analyzer.TagSyntax, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionHigh,
	Run:       reportDiagnostics,
	Doc: `## What it does
Reports a list-valued setting (` + "`discovery.seed_hosts`" + `, ` + "`network.host`" + `, ...) with an item
that is not a plain string, number or boolean: a mapping, a nested list, or an empty item.

## Why is this bad?
Elasticsearch and OpenSearch accept only plain values in a settings list and refuse to start
otherwise, so every client gets connection refused.

## Example
` + "```yaml" + `
discovery.seed_hosts:
  - host: es-1
  -
` + "```" + `

## Use instead
` + "```yaml" + `
discovery.seed_hosts:
  - es-1
` + "```" + `
`,
})

var ESYAMLAlias = registry.Add(&analyzer.Rule{
	ID:        "ES005",
	Name:      "es-yaml-alias",
	Severity:  analyzer.Info,
	Summary:   "a settings file uses a YAML alias, which the node may not expand",
	Tags:      []analyzer.Tag{analyzer.TagSyntax, analyzer.TagElasticsearch},
	Precision: analyzer.PrecisionMedium,
	Run:       reportDiagnostics,
	Doc: `## What it does
Reports a YAML alias (` + "`*name`" + `) in a settings file.

## Why is this bad?
The settings loader is not documented to expand YAML anchors and aliases, so the value the node
ends up with may be the alias text rather than the anchored value. Information only: write the
value out to be sure.

## Example
` + "```yaml" + `
network.host: &addr 10.0.0.5
network.publish_host: *addr
` + "```" + `

## Use instead
` + "```yaml" + `
network.host: 10.0.0.5
network.publish_host: 10.0.0.5
` + "```" + `
`,
})
