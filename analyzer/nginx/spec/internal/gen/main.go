// Command gen writes table_gen.go and inputs.tsv of package spec from
// bare git mirrors of nginx and of the third-party modules: it reads the
// ngx_command_t and variable arrays of every release tag, each distinct
// source blob once.
//
//	go run ./internal/gen [-sources DIR] [-out DIR]
//
// DIR holds one mirror per repository, as owner+name/repo (or
// owner+name) bare git directories; the default is $NGXLINT_SPEC_SOURCES,
// else /work/.mirror.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	def := os.Getenv("NGXLINT_SPEC_SOURCES")
	if def == "" {
		def = "/work/.mirror"
	}
	sources := flag.String("sources", def, "folder of the bare git mirrors (owner+name/repo)")
	out := flag.String("out", ".", "folder to write table_gen.go and inputs.tsv into")
	verbose := flag.Bool("v", false, "report unknown flag macros and timings")
	flag.Parse()
	if err := run(*sources, *out, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
