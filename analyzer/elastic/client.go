package elastic

import (
	"fmt"
	"sort"
	"strings"

	"github.com/ngxlint/ngxlint/analyzer/elastic/spec"
)

// Application frameworks (Rails, Laravel, Django settings generators)
// keep the client's connection settings in a file also named
// elasticsearch.yml, usually as config/elasticsearch.yml with one section
// per environment. Those files are not read by any node.

// clientSections are top-level section names of per-environment client
// configurations ("default" and friends hold the YAML anchor the others
// merge with `<<: *default`).
var clientSections = map[string]bool{
	"development": true, "production": true, "test": true, "staging": true, "default": true,
	"defaults": true, "dev": true, "prod": true, "qa": true, "local": true, "sandbox": true,
	"common": true, "shared": true, "integration": true, "uat": true, "preprod": true, "ci": true,
}

// clientKeys are top-level keys of a client configuration that no node
// setting is called.
var clientKeys = map[string]bool{
	"url": true, "urls": true, "hosts": true, "host": true, "port": true, "log": true,
	"user": true, "password": true, "index_prefix": true, "transport_options": true,
	"adapter": true, "scheme": true, "api_key": true, "cloud_id": true,
}

// ClientConfig reports whether the file is a client's configuration rather
// than a node's settings, judged from its shape and the settings table:
// it has client sections or client keys at the top level, and fewer keys
// the table knows as node settings than client keys. why says what gave
// it away, for the finding that explains the skip.
func ClientConfig(s *Settings) (why string, ok bool) {
	s.client.once.Do(func() { s.client.why, s.client.ok = clientConfig(s) })
	return s.client.why, s.client.ok
}

func clientConfig(s *Settings) (why string, ok bool) {
	sections := map[string]bool{}
	keys := map[string]bool{}
	client, known := 0, 0
	seen := map[string]bool{}
	merges := false
	for _, st := range s.All {
		if seen[st.Key] {
			continue
		}
		seen[st.Key] = true
		top, rest, dotted := strings.Cut(st.Key, ".")
		switch {
		case st.Nested && dotted && clientSections[top] && !nodeKey(st.Key):
			sections[top] = true
			client++
		case !dotted && clientKeys[top]:
			keys[top] = true
			client++
		case nodeKey(st.Key):
			known++
		}
		if strings.HasSuffix(rest, "<<") || st.Key == "<<" {
			merges = true
		}
	}
	if client == 0 || known >= client {
		return "", false
	}
	var parts []string
	if len(sections) > 0 {
		parts = append(parts, "top-level environment sections "+joinSorted(sections))
	}
	if len(keys) > 0 {
		parts = append(parts, "client keys "+joinSorted(keys))
	}
	if merges {
		parts = append(parts, "YAML merge keys (<<)")
	}
	return fmt.Sprintf("%s, and %d of its %d keys are node settings", strings.Join(parts, " and "), known, len(seen)), true
}

// nodeKey reports whether the table knows key as a node setting (a
// catch-all group row does not count: it would accept anything under a
// namespace).
func nodeKey(key string) bool {
	row := spec.Lookup(key, spec.Both)
	return row != nil && !spec.IsGroup(row)
}

func joinSorted(m map[string]bool) string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}
