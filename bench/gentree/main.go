// Command gentree writes the generated virtual-host tree that
// bench/compare.sh times ngxlint and nginx -t on.
//
//	go run ./bench/gentree -dir DIR -hosts 300 -cert C -key K
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/ngxlint/ngxlint/internal/benchgen"
)

func main() {
	dir := flag.String("dir", "", "folder to write the tree into")
	hosts := flag.Int("hosts", 300, "virtual hosts")
	var o benchgen.Options
	flag.StringVar(&o.Cert, "cert", "", "certificate every TLS server names")
	flag.StringVar(&o.Key, "key", "", "its key")
	flag.StringVar(&o.Prefix, "prefix", "", "folder for logs and temporary files")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "gentree: -dir is required")
		os.Exit(2)
	}
	p, n, err := benchgen.WriteTree(*dir, *hosts, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gentree:", err)
		os.Exit(1)
	}
	fmt.Printf("%s\t%d\n", p, n)
}
