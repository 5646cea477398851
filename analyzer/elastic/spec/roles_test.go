package spec

import (
	"strings"
	"testing"
)

func TestCheckRoles(t *testing.T) {
	es := func(s string) Release { return Release{Elasticsearch, mustVersion(t, s)} }
	os := func(s string) Release { return Release{OpenSearch, mustVersion(t, s)} }
	for _, c := range []struct {
		roles []string
		r     Release
		want  []string // parts of the messages, in order
	}{
		{[]string{"master", "data_hot", "data_content", "ingest"}, es("8.11.1"), nil},
		{[]string{}, es("8.11"), nil}, // coordinating only
		// data-tiers pages: frozen first listed in 7.12
		{[]string{"data_frozen"}, es("7.10"), []string{"needs Elasticsearch 7.12"}},
		{[]string{"data_warm"}, es("7.9"), []string{"needs Elasticsearch 7.10"}},
		{[]string{"cluster_manager"}, es("8.11"), []string{"OpenSearch role"}},
		{[]string{"voting_only"}, es("8.11"), []string{"must also have the master role"}},
		{[]string{"voting_only", "master"}, es("8.11"), nil},
		{[]string{"dta"}, es("8.11"), []string{"unknown role dta"}},
		// OpenSearch DiscoveryNodeRole.java: master deprecated in 2.0, not with cluster_manager
		{[]string{"cluster_manager", "data"}, os("2.11.0"), nil},
		{[]string{"master", "data"}, os("1.3"), nil},
		{[]string{"master", "data"}, os("2.11"), []string{"deprecated in OpenSearch 2.11; use cluster_manager"}},
		{[]string{"master", "cluster_manager"}, os("2.11"), []string{"deprecated", "may not be given together"}},
		{[]string{"cluster_manager"}, os("1.3"), []string{"needs OpenSearch 2.0"}},
		{[]string{"search"}, os("2.3"), []string{"needs OpenSearch 2.4"}},
		{[]string{"search"}, os("2.4"), nil},
		{[]string{"search"}, es("8.11"), nil}, // stateless role, listed by Elasticsearch too
		// dynamic roles (OpenSearch PR #3436, 2.1)
		{[]string{"ml"}, os("2.11"), nil},
		{[]string{"ml"}, os("1.3"), []string{"needs OpenSearch 2.1"}},
		{[]string{"hot_node"}, os("1.3"), []string{"only from 2.1"}},
		{[]string{"hot_node"}, os("2.1"), nil},
		{[]string{"data_hot"}, os("2.11"), []string{"Elasticsearch role, not one of OpenSearch 2.11 (it starts, but as a custom role"}},
		{[]string{"remote_cluster_client"}, os("1.0"), nil}, // shared, 7.8 < fork
		{[]string{"remote_cluster_client"}, es("7.7"), []string{"needs Elasticsearch 7.8"}},
	} {
		got := CheckRoles(c.roles, c.r)
		if len(got) != len(c.want) {
			t.Errorf("CheckRoles(%v, %v) = %+v, want %d problems", c.roles, c.r, got, len(c.want))
			continue
		}
		for i, w := range c.want {
			if !strings.Contains(got[i].Message, w) {
				t.Errorf("CheckRoles(%v, %v)[%d] = %q, want it to contain %q", c.roles, c.r, i, got[i].Message, w)
			}
		}
	}
}

func TestRolesTable(t *testing.T) {
	for _, r := range Roles {
		if r.Source == "" || r.Name == "" {
			t.Errorf("role %+v lacks a name or source", r)
		}
		if r.Product == Both && ForkPoint.Less(r.Since) {
			t.Errorf("shared role %s starts after the fork", r.Name)
		}
	}
	if a := HasRole("master", Release{Both, Version{}}); a.Status != Present {
		t.Errorf("master, any distribution: %v", a.Status)
	}
	if a := HasRole("data_frozen", Release{Elasticsearch, Version{}}); a.Status != Present || a.Since != (Version{7, 12}) {
		t.Errorf("data_frozen: %+v", a)
	}
}
