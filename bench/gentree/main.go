// Command gentree writes the generated virtual-host tree that
// bench/compare.sh times ngxlint and nginx -t on.
//
//	go run ./bench/gentree -dir DIR -hosts 300 -cert C -key K
//	go run ./bench/gentree -dir DIR -size 67108864     (a tree of about that many bytes)
//	go run ./bench/gentree -dir DIR -single 10485760   (one file of that many bytes)
//	go run ./bench/gentree -dir DIR -elastic 200       (that many es-NNN/elasticsearch.yml)
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ngxlint/ngxlint/internal/benchgen"
)

func main() {
	dir := flag.String("dir", "", "folder to write the tree into")
	hosts := flag.Int("hosts", 300, "virtual hosts")
	size := flag.Int("size", 0, "write a tree of about this many bytes (as many hosts as that takes) instead of -hosts")
	var o benchgen.Options
	flag.StringVar(&o.Cert, "cert", "", "certificate every TLS server names")
	flag.StringVar(&o.Key, "key", "", "its key")
	flag.StringVar(&o.Prefix, "prefix", "", "folder for logs and temporary files")
	single := flag.Int("single", 0, "write one nginx.conf of about this many bytes instead of a tree")
	nodes := flag.Int("elastic", 0, "write this many nodes' elasticsearch.yml instead of a tree")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "gentree: -dir is required")
		os.Exit(2)
	}
	if *single > 0 {
		src := benchgen.SingleFile(*single, o)
		p := filepath.Join(*dir, "nginx.conf")
		if err := os.MkdirAll(*dir, 0o755); err != nil {
			fmt.Fprintln(os.Stderr, "gentree:", err)
			os.Exit(1)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gentree:", err)
			os.Exit(1)
		}
		fmt.Printf("%s\t%d\n", p, len(src))
		return
	}
	if *nodes > 0 {
		paths, err := benchgen.WriteElastic(*dir, *nodes)
		if err != nil {
			fmt.Fprintln(os.Stderr, "gentree:", err)
			os.Exit(1)
		}
		fmt.Printf("%s\t%d files\n", *dir, len(paths))
		return
	}
	if *size > 0 {
		*hosts = benchgen.HostsFor(*size)
	}
	p, n, err := benchgen.WriteTree(*dir, *hosts, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gentree:", err)
		os.Exit(1)
	}
	fmt.Printf("%s\t%d\n", p, n)
}
