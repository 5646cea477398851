package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestActionScript runs the GitHub Action's steps (scripts/action.sh, as
// action.yml calls it) on a sample repository holding the bundled example:
// with format sarif it builds ngxlint from this checkout, writes a SARIF
// report with the finding and reports exit status 1; with format github
// and fail-on none it annotates and passes.
func TestActionScript(t *testing.T) {
	if testing.Short() {
		t.Skip("builds ngxlint; skipped with -short")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	repo := t.TempDir()
	src, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(repo, "deploy", "nginx.conf"), string(src), 0o644)
	runner := t.TempDir()
	action := func(env ...string) (int, string, map[string]string) {
		t.Helper()
		outputs := filepath.Join(runner, "outputs")
		_ = os.Remove(outputs)
		cmd := exec.Command("sh", filepath.Join(root, "scripts", "action.sh"))
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), append([]string{"GITHUB_ACTION_PATH=" + root, "RUNNER_TEMP=" + runner, "GITHUB_OUTPUT=" + outputs, "NGXLINT_PATHS=deploy"}, env...)...)
		out, err := cmd.CombinedOutput()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("action.sh: %v\n%s", err, out)
		}
		got := map[string]string{}
		b, _ := os.ReadFile(outputs)
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			if k, v, ok := strings.Cut(line, "="); ok {
				got[k] = v
			}
		}
		return code, string(out), got
	}

	code, out, outputs := action("NGXLINT_FORMAT=sarif")
	if code != 1 || outputs["exit-code"] != "1" || outputs["sarif"] == "" {
		t.Fatalf("sarif run: exit %d, outputs %v\n%s", code, outputs, out)
	}
	if !strings.Contains(out, "ngxlint ") || !strings.Contains(out, "(commit ") {
		t.Errorf("the built ngxlint did not report its version:\n%s", out)
	}
	b, err := os.ReadFile(outputs["sarif"])
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []struct {
				RuleID string `json:"ruleId"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b, &log); err != nil || log.Version != "2.1.0" || len(log.Runs) != 1 || !strings.Contains(string(b), "upstream-localhost") {
		t.Fatalf("SARIF (%v):\n%.500s", err, b)
	}

	code, out, outputs = action("NGXLINT_FORMAT=github", "NGXLINT_FAIL_ON=none")
	if code != 0 || outputs["exit-code"] != "0" || !strings.Contains(out, "::warning file=deploy/nginx.conf,line=") {
		t.Fatalf("github run: exit %d, outputs %v\n%s", code, outputs, out)
	}
}

// action.yml declares the inputs the issue names and hands each to the
// script under the name it reads.
func TestActionYAML(t *testing.T) {
	b, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Inputs map[string]struct {
			Default string `yaml:"default"`
		} `yaml:"inputs"`
		Runs struct {
			Using string `yaml:"using"`
			Steps []struct {
				Run string            `yaml:"run"`
				Env map[string]string `yaml:"env"`
			} `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	if a.Runs.Using != "composite" {
		t.Errorf("runs.using %q", a.Runs.Using)
	}
	script, _ := os.ReadFile("../../scripts/action.sh")
	found := false
	for _, s := range a.Runs.Steps {
		if !strings.Contains(s.Run, "scripts/action.sh") {
			continue
		}
		found = true
		for _, in := range []string{"paths", "args", "format", "fail-on", "version"} {
			if _, ok := a.Inputs[in]; !ok {
				t.Errorf("no input %q", in)
			}
			name := "NGXLINT_" + strings.ToUpper(strings.ReplaceAll(in, "-", "_"))
			if s.Env[name] != "${{ inputs."+in+" }}" || !strings.Contains(string(script), name) {
				t.Errorf("input %s is not passed as %s (env %q)", in, name, s.Env[name])
			}
		}
	}
	if !found {
		t.Error("no step runs scripts/action.sh")
	}
}
