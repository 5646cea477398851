package validity

import (
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
)

// The did-you-mean of unknown directives: the table's near names, a
// declared directive as near, and nothing for names too far, whichever
// list they come from.
func TestSuggestDirective(t *testing.T) {
	v := spec.Latest
	for _, tc := range []struct {
		name  string
		path  []string
		extra []string
		want  string
	}{
		{"proxy_pas", []string{"http", "server", "location"}, nil, "proxy_pass"},
		{"porxy_pass", []string{"http", "server", "location"}, nil, "proxy_pass"}, // neighbours exchanged
		{"server_nam", []string{"http", "server"}, nil, "server_name"},
		{"lisen", []string{"http", "server"}, nil, "listen"},
		{"completely_unrelated_name", []string{"http"}, nil, ""},
		{"my_filtr", []string{"http"}, []string{"my_filter"}, "my_filter"},
		{"my_filtr", []string{"http"}, []string{"an_entirely_other_name"}, ""},
		{"proxy_pass", []string{"http", "server", "location"}, nil, ""}, // itself is no typo
	} {
		if got := suggest(tc.name, tc.path, v, tc.extra); got != tc.want {
			t.Errorf("suggest(%q, %v, extra %v) = %q, want %q", tc.name, tc.path, tc.extra, got, tc.want)
		}
	}
}
