package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer"
	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/urfave/cli/v2"
)

func init() {
	extraLintFlags = append(extraLintFlags,
		&cli.StringFlag{Name: "max-file-size", Value: "16M", Usage: "refuse a file (named, found in a folder, included, or standard input) larger than `SIZE` (bytes, or with K, M or G; 0 for no limit short of 1G)"},
		&cli.StringFlag{Name: "max-total-size", Value: "64M", Usage: "refuse to read more than `SIZE` in one run, all files together (0 for no limit)"},
		&cli.IntFlag{Name: "max-nodes", Value: nginx.MaxNodes, Usage: "stop parsing after `N` directives and arguments in one run, with a not-analysed warning where it stopped (0 for no limit; each costs a few hundred bytes of memory)"},
	)
}

// fmtLimitFlags are lint's per-file limits, for fmt, which reads and
// parses one file at a time.
func fmtLimitFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "max-file-size", Value: "16M", Usage: "refuse a file (named, found in a folder, or standard input) larger than `SIZE` (bytes, or with K, M or G; 0 for no limit short of 1G)"},
		&cli.IntFlag{Name: "max-nodes", Value: nginx.MaxNodes, Usage: "leave a file of more than `N` directives and arguments unformatted (0 for no limit; each costs a few hundred bytes of memory)"},
	}
}

// readLimits turns the three flags into loader limits.
func readLimits(c *cli.Context) (analyzer.Limits, error) {
	l, err := readFileLimits(c)
	if err != nil {
		return l, err
	}
	if l.MaxTotalSize, err = parseSize(c.String("max-total-size")); err != nil {
		return analyzer.Limits{}, usage(fmt.Errorf("--max-total-size: %w", err))
	}
	return l, nil
}

// readFileLimits reads --max-file-size and --max-nodes.
func readFileLimits(c *cli.Context) (analyzer.Limits, error) {
	file, err := parseSize(c.String("max-file-size"))
	if err != nil {
		return analyzer.Limits{}, usage(fmt.Errorf("--max-file-size: %w", err))
	}
	nodes := c.Int("max-nodes")
	switch {
	case nodes < 0:
		return analyzer.Limits{}, usage(fmt.Errorf("--max-nodes: %d is not a count (0 for no limit)", nodes))
	case nodes == 0:
		nodes = math.MaxInt
	}
	return analyzer.Limits{MaxFileSize: file, MaxNodes: nodes}, nil
}

// parseSize reads "4096", "512K", "16M", "1G"; 0 means no limit, which
// analyzer.Limits spells as a negative number.
func parseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	t = strings.TrimSuffix(strings.TrimSuffix(t, "B"), "I")
	mult := int64(1)
	if n := len(t); n > 0 {
		switch t[n-1] {
		case 'K':
			mult, t = 1<<10, t[:n-1]
		case 'M':
			mult, t = 1<<20, t[:n-1]
		case 'G':
			mult, t = 1<<30, t[:n-1]
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(t), 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("%q is not a size (bytes, or a number with K, M or G)", s)
	}
	if n == 0 {
		return -1, nil
	}
	return n * mult, nil
}
