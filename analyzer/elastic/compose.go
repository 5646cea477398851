package elastic

import (
	"bytes"
	"path/filepath"
	"strings"
	"sync"

	"github.com/ngxlint/ngxlint/analyzer/elastic/spec"
	"github.com/ngxlint/ngxlint/analyzer/source"
	yaml "go.yaml.in/yaml/v3"
)

// Compose is a docker-compose file, read for the services that run an
// Elasticsearch or OpenSearch node: the settings their environment gives
// the node and the settings files they mount.
type Compose struct {
	File     *source.File
	Services []*Service
}

// Service is one compose service that runs a node.
type Service struct {
	Name     string
	NameSpan source.Span
	Image    string
	// Env holds the node settings of the service's `environment:`, in
	// order: dotted names (network.host=0.0.0.0), which the official
	// images pass to the node as settings, and the ES_SETTING_ form
	// (ES_SETTING_BOOTSTRAP_MEMORY__LOCK=true).
	Env []*Setting
	// Mounts are the host paths (absolute) of the files mounted as the
	// node's elasticsearch.yml / opensearch.yml.
	Mounts []string
	// Vars holds every environment variable of the service by name (the
	// images read some, such as DISABLE_INSTALL_DEMO_CONFIG, themselves).
	Vars map[string]string
}

// IsComposeName reports a docker-compose file name: docker-compose.yml,
// docker-compose.override.yaml, compose.yml and the like.
func IsComposeName(path string) bool {
	base := strings.ToLower(filepath.Base(path))
	ext := filepath.Ext(base)
	if ext != ".yml" && ext != ".yaml" {
		return false
	}
	stem := strings.TrimSuffix(base, ext)
	return stem == "compose" || stem == "docker-compose" || strings.HasPrefix(stem, "docker-compose.") ||
		strings.HasPrefix(stem, "compose.")
}

// ParseCompose reads the node services of a compose file. It never
// panics; a file it cannot read has no services.
func ParseCompose(f *source.File) (c *Compose) {
	c = &Compose{File: f}
	defer func() {
		if recover() != nil {
			c.Services = nil
		}
	}()
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(f.Src)).Decode(&doc); err != nil || len(doc.Content) == 0 {
		return c
	}
	services := mapValue(doc.Content[0], "services")
	if services == nil || services.Kind != yaml.MappingNode {
		return c
	}
	p := &parser{f: f, s: &Settings{File: f}}
	dir := filepath.Dir(f.Abs)
	for i := 0; i+1 < len(services.Content); i += 2 {
		k, v := services.Content[i], services.Content[i+1]
		if v.Kind != yaml.MappingNode {
			continue
		}
		svc := &Service{Name: k.Value, NameSpan: p.scalarSpan(k)}
		if img := mapValue(v, "image"); img != nil && img.Kind == yaml.ScalarNode {
			svc.Image = img.Value
		}
		svc.Env, svc.Vars = p.environment(mapValue(v, "environment"))
		svc.Mounts = settingsMounts(mapValue(v, "volumes"), dir)
		low := strings.ToLower(svc.Image)
		if strings.Contains(low, "opensearch") && strings.EqualFold(svc.Vars["DISABLE_SECURITY_PLUGIN"], "true") {
			// The image's entrypoint passes -Eplugins.security.disabled=true.
			svc.Env = append(svc.Env, &Setting{Key: "plugins.security.disabled", KeySpan: svc.NameSpan, Env: true,
				Values: []Value{{Text: "true", Span: svc.NameSpan}}})
		}
		if strings.Contains(low, "elasticsearch") || strings.Contains(low, "opensearch") || len(svc.Env) > 0 {
			c.Services = append(c.Services, svc)
		}
	}
	return c
}

// mapValue returns the value of key in a mapping node, or nil.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// environment reads `environment:` as a list of NAME=value or a mapping:
// the node settings it gives, and every variable by name. OpenSearch's
// image turns DISABLE_SECURITY_PLUGIN=true into plugins.security.disabled.
func (p *parser) environment(n *yaml.Node) ([]*Setting, map[string]string) {
	vars := map[string]string{}
	if n == nil {
		return nil, vars
	}
	var out []*Setting
	switch n.Kind {
	case yaml.SequenceNode:
		for _, it := range n.Content {
			if it.Kind != yaml.ScalarNode {
				continue
			}
			name, val, ok := strings.Cut(it.Value, "=")
			if ok {
				vars[strings.TrimSpace(name)] = val
			}
			key := envKey(name)
			if !ok || key == "" || val == "" {
				// The images pass only variables with a value.
				continue
			}
			sp := p.scalarSpan(it)
			start := sp.Start.Offset
			if q := p.f.Src[start]; q == '"' || q == '\'' {
				start++
			}
			// The item's text is verbatim unless it has escapes; fall back
			// to the whole item's span then.
			keySpan, valSpan := sp, sp
			if bytes.HasPrefix(p.f.Src[start:], []byte(it.Value)) {
				keySpan = p.f.Span(start, start+len(name))
				valSpan = p.f.Span(start+len(name)+1, start+len(it.Value))
			}
			out = append(out, envSetting(key, keySpan, val, valSpan))
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if v.Kind == yaml.ScalarNode {
				vars[k.Value] = v.Value
			}
			key := envKey(k.Value)
			if key == "" || v.Kind != yaml.ScalarNode || v.Value == "" {
				continue
			}
			out = append(out, envSetting(key, p.scalarSpan(k), v.Value, p.scalarSpan(v)))
		}
	}
	return out, vars
}

func envSetting(key string, keySpan source.Span, val string, valSpan source.Span) *Setting {
	return &Setting{Key: key, KeySpan: keySpan, Env: true, Values: []Value{{
		Text: val, Span: valSpan, Placeholder: strings.Contains(val, "${"),
	}}}
}

// envKey is the setting an environment variable gives the node, or "": a
// lower-case dotted name (the images pass those as -E settings), or the
// ES_SETTING_ form, where _ stands for . and __ for _.
func envKey(name string) string {
	name = strings.TrimSpace(name)
	if rest, ok := strings.CutPrefix(name, "ES_SETTING_"); ok {
		rest = strings.ReplaceAll(strings.ToLower(rest), "__", "\x00")
		return strings.ReplaceAll(strings.ReplaceAll(rest, "_", "."), "\x00", "_")
	}
	if !strings.Contains(name, ".") || strings.ToLower(name) != name || strings.ContainsAny(name, " =") {
		return ""
	}
	if spec.Lookup(name, spec.Both) == nil && spec.Suggest(name, spec.Both) == "" {
		return "" // not a node setting by any stretch: some other tool's variable
	}
	return name
}

// settingsMounts returns the host paths mounted as a node's settings file
// (short syntax "./es.yml:/usr/share/elasticsearch/config/elasticsearch.yml:ro"
// or long syntax with source and target).
func settingsMounts(n *yaml.Node, dir string) []string {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	var out []string
	for _, it := range n.Content {
		var src, dst string
		switch it.Kind {
		case yaml.ScalarNode:
			parts := strings.Split(it.Value, ":")
			if len(parts) < 2 {
				continue
			}
			src, dst = parts[0], parts[1]
		case yaml.MappingNode:
			if s := mapValue(it, "source"); s != nil {
				src = s.Value
			}
			if t := mapValue(it, "target"); t != nil {
				dst = t.Value
			}
		}
		base := filepath.Base(dst)
		if base != "elasticsearch.yml" && base != "opensearch.yml" || !strings.HasPrefix(src, ".") && !filepath.IsAbs(src) {
			continue // a named volume, or another file
		}
		if !filepath.IsAbs(src) {
			src = filepath.Join(dir, src)
		}
		out = append(out, filepath.Clean(src))
	}
	return out
}

// ApplyEnv lays a service's environment over the file's settings, as the
// node does: environment settings come after the file and win. The bind
// lists and ports are derived again.
func (s *Settings) ApplyEnv(svc *Service) {
	s.All = append(s.All, svc.Env...)
	if svc.Image != "" {
		s.Image = svc.Image
	}
	s.DemoInstaller = demoInstaller(s, svc)
	s.Service = svc
	s.derive()
	s.client.once = sync.Once{} // the keys changed: ClientConfig decides again
}

// demoInstaller reports whether the OpenSearch image's entrypoint will run
// its demo security installer on the first start: the image is
// OpenSearch's, neither DISABLE_INSTALL_DEMO_CONFIG nor
// DISABLE_SECURITY_PLUGIN is "true", and the settings have no security
// plugin setting (the installer leaves a configured file alone).
func demoInstaller(s *Settings, svc *Service) bool {
	if !strings.Contains(strings.ToLower(svc.Image), "opensearch") || strings.Contains(strings.ToLower(svc.Image), "dashboards") {
		return false
	}
	if strings.EqualFold(svc.Vars["DISABLE_INSTALL_DEMO_CONFIG"], "true") || strings.EqualFold(svc.Vars["DISABLE_SECURITY_PLUGIN"], "true") {
		return false
	}
	for _, st := range s.All {
		if strings.HasPrefix(st.Key, "plugins.security.") || strings.HasPrefix(st.Key, "opendistro_security.") {
			return false
		}
	}
	return true
}
