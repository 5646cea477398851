package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/config"
	espec "github.com/ngxlint/ngxlint/analyzer/elastic/spec"
	"github.com/ngxlint/ngxlint/rules"
	"github.com/urfave/cli/v2"
)

func init() {
	extraLintFlags = append(extraLintFlags,
		&cli.StringFlag{Name: "config", Usage: "read settings from `FILE` (default: the nearest .ngxlint.yml at or above the first path)"},
		&cli.StringFlag{Name: "nginx-version", Usage: "the nginx `VERSION` the configuration is for (default: nginx.version in .ngxlint.yml, else the newest stable release ngxlint knows)"},
		&cli.StringFlag{Name: "root", Usage: "absolute include paths resolve under `DIR`, as in a container image's root file system (default: nginx.root in .ngxlint.yml, else beside the main file, then this machine)"},
		&cli.StringFlag{Name: "es-version", Usage: "the Elasticsearch / OpenSearch `VERSION` the settings files are for, such as 8.13 or opensearch-2.11 (default: elasticsearch.version in .ngxlint.yml, else what each file implies)"},
	)
}

// loadConfig reads --config, or the .ngxlint.yml found by walking up from
// the first path (the working folder for standard input); no file means
// the defaults.
func loadConfig(c *cli.Context, paths []string) (*config.Config, error) {
	name := c.String("config")
	if name == "" {
		start := "."
		if len(paths) > 0 && paths[0] != "-" {
			start = paths[0]
		}
		found, err := config.Find(start)
		if err != nil {
			return nil, err
		}
		if found == "" {
			return &config.Config{}, nil
		}
		name = found
	}
	display := name
	if abs, err := filepath.Abs(name); err == nil {
		wd, _ := os.Getwd()
		display = analyzer.DisplayPath(wd, abs)
	}
	return config.Load(name, display, rules.All())
}

// runSettings are what rules see of the deployment: .ngxlint.yml's, with
// --nginx-version on top. The nginx version is resolved against the
// directive table (default: its newest stable release), so rules always
// see a release it knows.
func runSettings(c *cli.Context, cfg *config.Config) (*analyzer.Settings, error) {
	st := cfg.Settings()
	if v := c.String("es-version"); v != "" {
		if _, err := espec.ParseRelease(v, espec.Both); err != nil {
			return nil, fmt.Errorf("--es-version: %w", err)
		}
		st.ElasticsearchVersion = v
	}
	if v := c.String("nginx-version"); v != "" {
		r, err := config.NginxVersion(v)
		if err != nil {
			return nil, fmt.Errorf("--nginx-version: %w", err)
		}
		st.NginxVersion, st.NginxVersionGiven = r.String(), true
		return st, nil
	}
	r, err := config.NginxVersion(st.NginxVersion)
	if err != nil { // checked when .ngxlint.yml was read; kept for safety
		return nil, fmt.Errorf("nginx.version: %w", err)
	}
	st.NginxVersion = r.String()
	return st, nil
}

// loadOptions are the loader's settings: --prefix and --root win over the
// file's.
func loadOptions(c *cli.Context, e *env, cfg *config.Config) (analyzer.LoadOptions, error) {
	prefix := c.String("prefix")
	if prefix == "" {
		prefix = cfg.Prefix
	}
	root := cfg.Root
	if r := c.String("root"); r != "" {
		if fi, err := os.Stat(r); err != nil || !fi.IsDir() {
			return analyzer.LoadOptions{}, fmt.Errorf("--root %s: not a folder", r)
		}
		root = r
	}
	return analyzer.LoadOptions{Prefix: prefix, Root: root, Stdin: e.inputWhenRead(), StdinName: c.String("stdin-filename")}, nil
}

// inputWhenRead is input for a reader that may not read it (the loader
// reads it only for the path "-", a log reader only for "--error-log -"):
// standard input is read at its first Read. Reading it up front made
// `ngxlint lint nginx.conf` wait, from a terminal, for an end of input
// that never came.
func (e *env) inputWhenRead() io.Reader { return &onFirstRead{open: e.input} }

type onFirstRead struct {
	open func() io.Reader
	r    io.Reader
}

func (o *onFirstRead) Read(p []byte) (int, error) {
	if o.r == nil {
		o.r = o.open()
	}
	return o.r.Read(p)
}
