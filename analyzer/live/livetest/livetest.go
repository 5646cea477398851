// Package livetest runs a test inside a private mount namespace with its
// own /etc/hosts: localhost maps to both 127.0.0.1 and ::1, as most
// distributions do (BothFamilies), or to 127.0.0.1 alone (IPv4Only), so
// that live-mode tests see what nginx sees there whatever the machine's
// own hosts file says.
package livetest

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// envInside marks the re-executed test binary.
const envInside = "NGXLINT_LIVETEST_NAMESPACE"

// Hosts is the hosts file BothFamilies' namespace sees.
const Hosts = "127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n"

// HostsIPv4 is the hosts file IPv4Only's namespace sees.
const HostsIPv4 = "127.0.0.1 localhost\n::1 ip6-localhost ip6-loopback\n"

// BothFamilies returns true when the calling test runs inside the
// namespace and should go on. Outside, it re-runs this one test in the
// namespace (unshare -m, then a bind mount over /etc/hosts), fails t if
// the child failed, and returns false. Without unshare, or without the
// right to use it, the test is skipped (it fails under
// NGXLINT_REQUIRE_TOOLS=1, as in CI).
func BothFamilies(t *testing.T) bool {
	t.Helper()
	return inNamespace(t, Hosts, "localhost -> 127.0.0.1 and ::1")
}

// IPv4Only is BothFamilies with a hosts file where localhost is 127.0.0.1
// only, as on hosts that drop the ::1 line: nginx makes one peer of it.
func IPv4Only(t *testing.T) bool {
	t.Helper()
	return inNamespace(t, HostsIPv4, "localhost -> 127.0.0.1 only")
}

func inNamespace(t *testing.T, hostsFile, what string) bool {
	t.Helper()
	if os.Getenv(envInside) == "1" {
		return true
	}
	unshare := sharedtest.Tool(t, "unshare")
	if out, err := exec.Command(unshare, "-m", "true").CombinedOutput(); err != nil {
		skipOrFail(t, "unshare -m does not work here (it needs root or user namespaces): "+strings.TrimSpace(string(out)))
	}
	if ln, err := net.Listen("tcp6", "[::1]:0"); err != nil {
		skipOrFail(t, "::1 is not configured on the loopback interface: "+err.Error())
	} else {
		_ = ln.Close()
	}
	hosts := filepath.Join(t.TempDir(), "hosts")
	if err := os.WriteFile(hosts, []byte(hostsFile), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-m", "sh", "-c", `mount --bind "$1" /etc/hosts && shift && exec "$@"`, "sh", hosts,
		os.Args[0], "-test.run", "^" + regexp.QuoteMeta(t.Name()) + "$", "-test.count=1", "-test.v", "-test.timeout=3m"}
	cmd := exec.Command(unshare, args...)
	cmd.Env = append(os.Environ(), envInside+"=1")
	out, err := cmd.CombinedOutput()
	t.Logf("in a mount namespace with %s:\n%s", what, out)
	switch {
	case err != nil:
		t.Fatalf("the test failed inside the namespace: %v", err)
	case strings.Contains(string(out), "--- SKIP"):
		t.Skip("skipped inside the namespace")
	case !strings.Contains(string(out), "--- PASS"):
		t.Fatal("the test did not run inside the namespace")
	}
	return false
}

func skipOrFail(t *testing.T, msg string) {
	t.Helper()
	if os.Getenv(sharedtest.ToolsEnv) == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}
