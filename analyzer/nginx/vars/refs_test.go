package vars_test

import (
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/nginx/vars"
)

// Each reference's span covers exactly its source text, escapes and
// quotes included, so a finding can point at the variable itself.
func TestRefsSpans(t *testing.T) {
	cases := []struct {
		directive string
		want      []string // source text of each reference, in order
		names     []string
	}{
		{`return 200 $a;`, []string{"$a"}, []string{"a"}},
		{`return 200 "x${b}y$c.d";`, []string{"${b}", "$c"}, []string{"b", "c"}},
		{`return 200 '\"$q\\$r';`, []string{"$q", "$r"}, []string{"q", "r"}},
		{`rewrite ^/(.*)$ /n/$1$10?a=$arg_a;`, []string{"$1", "$1", "$arg_a"}, []string{"1", "1", "arg_a"}},
		{`return 200 "$ ${} ${x-y} $";`, nil, nil},
		{`add_header X "a
  $multi";`, []string{"$multi"}, []string{"multi"}},
	}
	for _, c := range cases {
		text := "http { server { location / { " + c.directive + " } } }\n"
		cfg, _ := parse(t, "t.conf", text)
		var d *nginx.Directive
		nginx.Walk(cfg, func(x *nginx.Directive) bool {
			if x.Block == nil && !x.HasBlock {
				d = x
			}
			return true
		})
		if d == nil {
			t.Fatalf("%s: not parsed", c.directive)
		}
		refs := vars.DirectiveRefs(d)
		var got, names []string
		for _, r := range refs {
			got = append(got, cfg.File.Text(r.Span()))
			names = append(names, r.Name)
			if r.Span().Start.Line < 1 || r.Span().Start.Col < 1 {
				t.Errorf("%s: bad position %v", c.directive, r.Span())
			}
		}
		if strings.Join(got, " ") != strings.Join(c.want, " ") || strings.Join(names, " ") != strings.Join(c.names, " ") {
			t.Errorf("%s: refs %q names %q, want %q %q", c.directive, got, names, c.want, c.names)
		}
	}
}

// The arguments nginx does not interpolate (regexes, code, the variable
// a directive defines) give no references.
func TestDirectiveRefsSkipsNonTemplates(t *testing.T) {
	text := `http {
    map $http_host$uri $m {
        ~^(?<h>[^/]+)/x$ $h;
        default $remote_addr;
    }
    geo $remote_addr $g { default 0; 10.0.0.0/8 1; }
    perl_set $p 'sub { my $r = shift; $r->uri }';
    server {
        server_name ~^(?<sub>.+)$;
        location ~ ^/(a|b)$ {
            set $s "$sub$1";
            if ($http_x ~* "^v$") { return 403; }
            if ($request_method = $arg_m) { return 405; }
            rewrite ^/old$ /new$is_args$args;
            set_by_lua $l 'return ngx.var.a .. "$"' $arg_q;
            content_by_lua 'ngx.say("$x")';
        }
    }
}
`
	cfg, _ := parse(t, "t.conf", text)
	var got []string
	nginx.Walk(cfg, func(d *nginx.Directive) bool {
		for _, r := range vars.DirectiveRefs(d) {
			got = append(got, d.Name+":"+r.Name)
		}
		return true
	})
	want := "map:http_host map:uri ~^(?<h>[^/]+)/x$:h default:remote_addr geo:remote_addr set:sub set:1 if:http_x if:request_method if:arg_m rewrite:is_args rewrite:args set_by_lua:arg_q"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("refs\n got %s\nwant %s", g, want)
	}
}
