package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// readmePreCommitExample is the nginx block the README's pre-commit
// section commits.
func readmePreCommitExample(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- pre-commit example: [^>]*-->\n```nginx\n(.*?)```").FindSubmatch(b)
	if m == nil {
		t.Fatal("README.md has no pre-commit example block")
	}
	if !bytes.Contains(m[1], []byte("server localhost:3000;")) {
		t.Fatalf("the README's pre-commit example has no `server localhost:3000;`:\n%s", m[1])
	}
	return string(m[1])
}

// preCommitRepo is a snapshot of this checkout committed in a scratch
// repository (its current files, so that uncommitted work is what gets
// tested), with runners that use pre-commit's environment.
type preCommitRepo struct {
	ctx            context.Context
	tmp, snap, rev string
	precommit, git string
	run            func(dir, name string, args ...string) (string, error)
	mustRun        func(dir, name string, args ...string) string
}

func newPreCommitRepo(t *testing.T) *preCommitRepo {
	t.Helper()
	precommit := sharedtest.Tool(t, "pre-commit")
	git := sharedtest.Tool(t, "git")
	goBin := sharedtest.Tool(t, "go")

	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	t.Cleanup(cancel)
	tmp := t.TempDir()
	env := append(os.Environ(),
		"PRE_COMMIT_HOME="+filepath.Join(tmp, "cache"),
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GOTOOLCHAIN=local", "GOFLAGS=",
	)
	// Reuse the module and build caches: pre-commit gives the hook its
	// own GOPATH, which would otherwise download and compile everything.
	for _, v := range []string{"GOMODCACHE", "GOCACHE", "GOPROXY"} {
		out, err := exec.Command(goBin, "env", v).Output()
		if err == nil && strings.TrimSpace(string(out)) != "" {
			env = append(env, v+"="+strings.TrimSpace(string(out)))
		}
	}
	run := func(dir string, name string, args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	mustRun := func(dir string, name string, args ...string) string {
		t.Helper()
		out, err := run(dir, name, args...)
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return out
	}

	// Snapshot the checkout: tracked and untracked-but-not-ignored files.
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	snap := filepath.Join(tmp, "ngxlint")
	list := mustRun(root, git, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	for _, rel := range strings.Split(list, "\x00") {
		if rel == "" {
			continue
		}
		src := filepath.Join(root, rel)
		fi, err := os.Lstat(src)
		if err != nil || !fi.Mode().IsRegular() {
			continue // deleted in the working tree, or not a file
		}
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(snap, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, fi.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	mustRun(snap, git, "init", "-q")
	mustRun(snap, git, "add", "-A")
	mustRun(snap, git, "commit", "-q", "--no-verify", "-m", "snapshot")
	rev := strings.TrimSpace(mustRun(snap, git, "rev-parse", "HEAD"))
	return &preCommitRepo{ctx: ctx, tmp: tmp, snap: snap, rev: rev, precommit: precommit, git: git, run: run, mustRun: mustRun}
}

// TestPreCommitHook drives Debian's pre-commit through a real `git
// commit` in a scratch repository whose .pre-commit-config.yaml points at
// a snapshot of this checkout (its current files, committed in a
// temporary repository, so that uncommitted work is what gets tested).
// The README's example is refused with the finding shown; the fixed file
// is accepted.
func TestPreCommitHook(t *testing.T) {
	if testing.Short() {
		t.Skip("builds ngxlint through pre-commit; skipped with -short")
	}
	example := readmePreCommitExample(t)
	r := newPreCommitRepo(t)
	ctx, tmp, snap, rev, precommit, git, run, mustRun := r.ctx, r.tmp, r.snap, r.rev, r.precommit, r.git, r.run, r.mustRun

	// The user's repository.
	user := filepath.Join(tmp, "user")
	if err := os.MkdirAll(user, 0o755); err != nil {
		t.Fatal(err)
	}
	mustRun(user, git, "init", "-q")
	cfg := "repos:\n  - repo: " + snap + "\n    rev: " + rev + "\n    hooks:\n      - id: ngxlint\n"
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(user, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".pre-commit-config.yaml", cfg)
	write("nginx.conf", example)
	mustRun(user, precommit, "install")

	mustRun(user, git, "add", ".pre-commit-config.yaml", "nginx.conf")
	out, err := run(user, git, "commit", "-m", "add nginx.conf")
	if ctx.Err() != nil {
		t.Fatalf("timed out: %s", out)
	}
	t.Logf("refused commit:\n%s", out)
	if err == nil {
		t.Fatalf("the commit of the README's example was accepted:\n%s", out)
	}
	at := strings.Index(example, "localhost:3000") // present: checked above
	line := strings.Count(example[:max(at, 0)], "\n") + 1
	want := "nginx.conf:" + itoa(line) + ":16: warning: upstream server localhost:3000 expands to"
	if !strings.Contains(out, "ngxlint") || !strings.Contains(out, "Failed") || !strings.Contains(out, want) || !strings.Contains(out, "[upstream-localhost]") {
		t.Fatalf("the refused commit does not show the finding %q:\n%s", want, out)
	}
	if log, _ := run(user, git, "log", "--oneline"); strings.TrimSpace(log) != "" && !strings.Contains(log, "fatal") {
		t.Fatalf("a commit was made: %s", log)
	}

	write("nginx.conf", strings.Replace(example, "server localhost:3000;", "server 127.0.0.1:3000;", 1))
	mustRun(user, git, "add", "nginx.conf")
	out, err = run(user, git, "commit", "-m", "add nginx.conf")
	if err != nil {
		t.Fatalf("the fixed file was refused: %v\n%s", err, out)
	}
	t.Logf("accepted commit:\n%s", out)
	if !strings.Contains(out, "ngxlint") || !strings.Contains(out, "Passed") {
		t.Errorf("the hook did not run on the fixed file:\n%s", out)
	}
}

// TestPreCommitFmtHook commits a badly indented nginx file through the
// ngxlint-fmt hook: the first commit fails and leaves the file formatted,
// the second (with the formatted file staged) passes.
func TestPreCommitFmtHook(t *testing.T) {
	if testing.Short() {
		t.Skip("builds ngxlint through pre-commit; skipped with -short")
	}
	r := newPreCommitRepo(t)
	user := filepath.Join(r.tmp, "user")
	if err := os.MkdirAll(user, 0o755); err != nil {
		t.Fatal(err)
	}
	r.mustRun(user, r.git, "init", "-q")
	cfg := "repos:\n  - repo: " + r.snap + "\n    rev: " + r.rev + "\n    hooks:\n      - id: ngxlint-fmt\n"
	bad := "events {}\nhttp {\nserver {\n  listen 80;   \n}\n}\n"
	for name, s := range map[string]string{".pre-commit-config.yaml": cfg, "nginx.conf": bad} {
		if err := os.WriteFile(filepath.Join(user, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r.mustRun(user, r.precommit, "install")
	r.mustRun(user, r.git, "add", ".pre-commit-config.yaml", "nginx.conf")
	out, err := r.run(user, r.git, "commit", "-m", "add nginx.conf")
	if r.ctx.Err() != nil {
		t.Fatalf("timed out: %s", out)
	}
	if err == nil || !strings.Contains(out, "ngxlint fmt") || !strings.Contains(out, "Failed") || !strings.Contains(out, "files were modified by this hook") {
		t.Fatalf("the commit of a badly indented file was not refused: %v\n%s", err, out)
	}
	got, err := os.ReadFile(filepath.Join(user, "nginx.conf"))
	if err != nil {
		t.Fatal(err)
	}
	want := "events {}\nhttp {\n    server {\n        listen 80;\n    }\n}\n"
	if string(got) != want {
		t.Fatalf("the hook left:\n%s", got)
	}
	r.mustRun(user, r.git, "add", "nginx.conf")
	out, err = r.run(user, r.git, "commit", "-m", "add nginx.conf")
	if err != nil || !strings.Contains(out, "Passed") {
		t.Fatalf("the formatted file was refused: %v\n%s", err, out)
	}
}
