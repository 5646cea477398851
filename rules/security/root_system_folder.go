package security

import (
	"fmt"
	"path"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
)

var RootSystemFolder = registry.Add(&analyzer.Rule{
	ID:         "NGX437",
	Name:       "root-system-folder",
	Severity:   analyzer.Error,
	Summary:    "root or alias serves a system folder (/, /etc, /root, /proc ...) to clients",
	Tags:       []analyzer.Tag{analyzer.TagSecurity},
	Precision:  analyzer.PrecisionVeryHigh,
	Fix:        analyzer.FixNone,
	Directives: []string{"root", "alias"},
	Visit:      visitRootSystemFolder,
	Doc: `## What it does
Reports ` + "`root`" + ` and ` + "`alias`" + ` pointing at the file system's root or at a system folder:
anything under ` + "`/root`" + `, ` + "`/proc`" + `, ` + "`/sys`" + ` or ` + "`/boot`" + `, and ` + "`/`" + `, ` + "`/etc`" + `, ` + "`/dev`" + `,
` + "`/home`" + `, ` + "`/var`" + `, ` + "`/usr`" + `, ` + "`/bin`" + `, ` + "`/sbin`" + `, ` + "`/lib`" + `, ` + "`/opt`" + `, ` + "`/srv`" + ` themselves. Files
and folders deeper under ` + "`/etc`" + ` or ` + "`/dev`" + ` are left alone: a generated ` + "`config.js`" + `, a
folder of error pages or a tmpfs under ` + "`/dev/shm`" + ` are served on purpose.

## Why is this bad?
Every file nginx's workers can read under that folder becomes downloadable: ` + "`/etc/passwd`" + `, TLS
keys, application secrets, other users' files, the process environment through ` + "`/proc/self/environ`" + `.

## Example
` + "```nginx" + `
location / {
    root /;
}
` + "```" + `

## Use instead
Serve a folder that holds only what is meant to be public:
` + "```nginx" + `
location / {
    root /srv/www/example.com/public;
}
` + "```" + `
`,
})

var (
	// systemTrees are reported with everything under them; systemFolders
	// only themselves (a file or folder below /etc or /dev/shm is often
	// served on purpose: a generated config.js, error pages, a tmpfs).
	systemTrees   = []string{"/root", "/proc", "/sys", "/boot"}
	systemFolders = map[string]bool{"/": true, "/etc": true, "/dev": true, "/home": true, "/var": true, "/usr": true,
		"/bin": true, "/sbin": true, "/lib": true, "/opt": true, "/srv": true}
)

func visitRootSystemFolder(p *analyzer.Pass, d *nginx.Directive) {
	if len(d.Args) != 1 || strings.Contains(d.Args[0].Value, "$") || !strings.HasPrefix(d.Args[0].Value, "/") {
		return
	}
	clean := path.Clean(d.Args[0].Value)
	exposed := systemFolders[clean]
	for _, t := range systemTrees {
		exposed = exposed || clean == t || strings.HasPrefix(clean, t+"/")
	}
	if !exposed {
		return
	}
	p.Report(analyzer.Finding{Span: d.Args[0].Span(), Message: fmt.Sprintf("%s %s serves a system folder: every file the "+
		"workers can read under it (passwords, keys, secrets, /proc) can be downloaded; point it at a folder that holds "+
		"only public files", d.Name, d.Args[0].Value)})
}
