package elastic

import (
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/source"
)

// A compose service's environment becomes node settings with spans in the
// compose file; mounts name the settings file; other services are skipped.
func TestParseCompose(t *testing.T) {
	src := `services:
  es:
    image: docker.elastic.co/elasticsearch/elasticsearch:8.13.0
    environment:
      - network.host=0.0.0.0
      - "discovery.type=single-node"
      - ES_SETTING_BOOTSTRAP_MEMORY__LOCK=true
      - ES_JAVA_OPTS=-Xms1g
      - xpack.security.enabled=
    volumes:
      - ./conf/elasticsearch.yml:/usr/share/elasticsearch/config/elasticsearch.yml:ro
      - esdata:/usr/share/elasticsearch/data
  web:
    image: nginx
    environment:
      NGINX_HOST: example.com
`
	f := source.NewFile("dc.yml", "/p/docker-compose.yml", source.KindElastic, []byte(src))
	c := ParseCompose(f)
	if len(c.Services) != 1 || c.Services[0].Name != "es" {
		t.Fatalf("services %+v", c.Services)
	}
	svc := c.Services[0]
	want := [][2]string{{"network.host", "0.0.0.0"}, {"discovery.type", "single-node"}, {"bootstrap.memory_lock", "true"}}
	if len(svc.Env) != len(want) {
		t.Fatalf("env %d settings, want %d", len(svc.Env), len(want))
	}
	for i, w := range want {
		st := svc.Env[i]
		if st.Key != w[0] || st.Values[0].Text != w[1] || !st.Env {
			t.Errorf("env %d: %s=%s env=%v; want %s=%s", i, st.Key, st.Values[0].Text, st.Env, w[0], w[1])
		}
	}
	// Spans cover exactly the key and the value inside the list item.
	v := svc.Env[1].Values[0].Span
	if got := src[v.Start.Offset:v.End.Offset]; got != "single-node" {
		t.Errorf("value span covers %q", got)
	}
	k := svc.Env[0].KeySpan
	if got := src[k.Start.Offset:k.End.Offset]; got != "network.host" || k.File != "dc.yml" {
		t.Errorf("key span covers %q in %s", got, k.File)
	}
	if len(svc.Mounts) != 1 || svc.Mounts[0] != "/p/conf/elasticsearch.yml" {
		t.Errorf("mounts %v", svc.Mounts)
	}
	for _, bad := range []string{"", "services: [", "services:\n  es: 3\n", "- a\n"} {
		if c := ParseCompose(source.NewFile("x.yml", "/x.yml", source.KindElastic, []byte(bad))); len(c.Services) != 0 {
			t.Errorf("%q: services %+v", bad, c.Services)
		}
	}
}

// The environment wins over the file, and the bind list is derived again.
func TestApplyEnv(t *testing.T) {
	s := Parse(source.NewFile("elasticsearch.yml", "/p/elasticsearch.yml", source.KindElastic, []byte("network.host: 127.0.0.1\n")))
	c := ParseCompose(source.NewFile("docker-compose.yml", "/p/docker-compose.yml", source.KindElastic,
		[]byte("services:\n  es:\n    environment:\n      network.host: _site_,10.0.0.5\n")))
	s.ApplyEnv(c.Services[0])
	if len(s.HTTPBind.Values) != 2 || s.HTTPBind.Values[0].Text != "_site_" || s.HTTPBind.Values[1].Text != "10.0.0.5" {
		t.Errorf("bind after env: %+v", s.HTTPBind.Values)
	}
}

func TestIsComposeName(t *testing.T) {
	for name, want := range map[string]bool{"docker-compose.yml": true, "a/compose.yaml": true, "docker-compose.override.yml": true,
		"compose.prod.yml": true, "elasticsearch.yml": false, "docker-compose.json": false, "mycompose.yml": false} {
		if IsComposeName(name) != want {
			t.Errorf("IsComposeName(%q) = %v", name, !want)
		}
	}
}

// ClientConfig keeps its answer for a file, and decides again once an
// environment has added keys: a file of client keys is a node's settings
// when the service it is mounted into sets node settings.
func TestClientConfigAfterEnv(t *testing.T) {
	s := Parse(source.NewFile("elasticsearch.yml", "/p/elasticsearch.yml", source.KindElastic, []byte("url: http://x:9200\nlog: true\n")))
	if _, client := ClientConfig(s); !client {
		t.Fatal("client keys alone: not a client configuration")
	}
	c := ParseCompose(source.NewFile("docker-compose.yml", "/p/docker-compose.yml", source.KindElastic,
		[]byte("services:\n  es:\n    environment:\n      cluster.name: c\n      node.name: n\n      network.host: 0.0.0.0\n")))
	s.ApplyEnv(c.Services[0])
	if why, client := ClientConfig(s); client {
		t.Errorf("after three node settings from the environment: still a client configuration (%s)", why)
	}
}
