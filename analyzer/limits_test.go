package analyzer

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// sparse makes a file of size bytes that takes no disk space.
func sparse(t *testing.T, path string, size int64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestSizeLimits: a 1 GiB file, named or included, used to be read whole
// (4 GB at peak); it is now refused from its size, before anything is
// read, with a message that says so. The run's total is bounded too.
func TestSizeLimits(t *testing.T) {
	dir := t.TempDir()
	sparse(t, filepath.Join(dir, "big.conf"), 1<<30)
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	inc := write("inc.conf", "include big.conf;\n")
	big := filepath.Join(dir, "big.conf")

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Load([]string{big}, LoadOptions{})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "1 GiB, over the limit of 16 MiB per file") {
		t.Errorf("named: %v", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("refusing a 1 GiB file allocated %d bytes: it was read", alloc)
	}

	ws, err := Load([]string{inc}, LoadOptions{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, d := range ws.Diagnostics() {
		msgs = append(msgs, d.Span.String()+" "+d.Message)
	}
	if len(msgs) != 1 || !strings.Contains(msgs[0], "inc.conf:1:9 cannot include big.conf: over the size limit") {
		t.Errorf("included: %q", msgs)
	}

	// Per run: three files of 3 KiB with a 8 KiB total; the third is refused.
	var paths []string
	for _, n := range []string{"a.conf", "b.conf", "c.conf"} {
		paths = append(paths, write(n, "events {}\n"+strings.Repeat("#", 3<<10)+"\n"))
	}
	_, err = Load(paths, LoadOptions{Limits: Limits{MaxTotalSize: 8 << 10}})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "c.conf") || !strings.Contains(err.Error(), "8 KiB in all") {
		t.Errorf("total: %v", err)
	}
	if _, err := Load(paths, LoadOptions{Limits: Limits{MaxTotalSize: -1, MaxFileSize: 4 << 10}}); err != nil {
		t.Errorf("within the limits: %v", err)
	}

	// With no limit set, a file past what 32-bit positions can count is
	// still refused from its size.
	sparse(t, filepath.Join(dir, "huge.conf"), 2<<30)
	_, err = Load([]string{filepath.Join(dir, "huge.conf")}, LoadOptions{Limits: Limits{MaxFileSize: -1, MaxTotalSize: -1}})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "2 GiB, over the limit of 1 GiB per file") {
		t.Errorf("no limit: %v", err)
	}

	// A settings file has its own, smaller bound.
	yml := write("elasticsearch.yml", "cluster.name: x\n"+strings.Repeat("# pad\n", 200_000))
	if _, err := Load([]string{yml}, LoadOptions{}); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "for a settings file") {
		t.Errorf("settings file: %v", err)
	}

	// Standard input is cut one byte past the limit, not read whole.
	_, err = Load([]string{"-"}, LoadOptions{Stdin: strings.NewReader(strings.Repeat("#", 100)), Limits: Limits{MaxFileSize: 50}})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "longer than 50 bytes") {
		t.Errorf("stdin: %v", err)
	}
}

// Settings files are read in argument order (the size budget refuses the
// one that passes it, as before) and parsed on all cores, and the
// workspace lists them in argument order.
func TestSettingsFilesInOrder(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for i := range 40 {
		p := filepath.Join(dir, "n"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+string(rune('a'+i/26)), "elasticsearch.yml")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("cluster.name: c"+strings.Repeat("x", i)+"\nnode.name: n\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	ws, err := Load(paths, LoadOptions{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(ws.Elastic) != len(paths) {
		t.Fatalf("%d settings files, want %d", len(ws.Elastic), len(paths))
	}
	for i, s := range ws.Elastic {
		if s.File.Abs != paths[i] || s.Get("cluster.name") == nil || len(s.Get("cluster.name").Values) == 0 ||
			s.Get("cluster.name").Values[0].Text != "c"+strings.Repeat("x", i) {
			t.Errorf("settings file %d is %s", i, s.File.Abs)
		}
	}
	// The total budget refuses the file that passes it, in argument
	// order: file i is 29+i bytes, so the seventeenth passes 600.
	_, err = Load(paths, LoadOptions{WorkDir: dir, Limits: Limits{MaxTotalSize: 600}})
	want := filepath.Join(filepath.Base(filepath.Dir(paths[16])), "elasticsearch.yml") + ":"
	if !errors.Is(err, ErrTooLarge) || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("over the total budget: %v, want it at %s", err, want)
	}
}

// TestAdmittedTotals: the Admitted hook hears of each file read, named,
// included through a glob or found in a folder, with the run's total so
// far; a refused file adds nothing.
func TestAdmittedTotals(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"nginx.conf":           "events {}\nhttp { include conf.d/*.conf; include missing.conf; }\n",
		"conf.d/a.conf":        "server { listen 80; }\n",
		"conf.d/b.conf":        "server { listen 8080; server_name b.example; }\n",
		"es/elasticsearch.yml": "cluster.name: c\n",
	}
	var want int64
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		want += int64(len(text))
	}
	sparse(t, filepath.Join(dir, "conf.d", "huge.conf"), 20<<20) // over the per-file limit
	var totals []int64
	opt := LoadOptions{WorkDir: dir, Admitted: func(total int64) { totals = append(totals, total) }}
	if _, err := Load([]string{filepath.Join(dir, "nginx.conf"), filepath.Join(dir, "es")}, opt); err != nil {
		t.Fatal(err)
	}
	if len(totals) != len(files) {
		t.Fatalf("Admitted called %d times (%v), want once per file read (%d)", len(totals), totals, len(files))
	}
	for i := 1; i < len(totals); i++ {
		if totals[i] <= totals[i-1] {
			t.Fatalf("totals %v do not grow with each file", totals)
		}
	}
	if last := totals[len(totals)-1]; last != want {
		t.Errorf("last total %d, want the %d bytes of the files read", last, want)
	}
}
