package nginx

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/nginx/pcre"
)

// regexesIn lists "pattern" (with "i" when caseless, "!" when negated)
// for every regex of a config, in source order.
func regexesIn(c *Config) []string {
	var out []string
	Walk(c, func(d *Directive) bool {
		for _, r := range Regexes(d) {
			s := fmt.Sprintf("%s:%q", d.Name, r.Pattern)
			if r.CaseInsensitive {
				s += "i"
			}
			if r.Negated {
				s += "!"
			}
			if got := r.Arg.Value[r.Start:]; !strings.HasPrefix(got, r.Pattern) {
				s += fmt.Sprintf(" (Start %d points at %q)", r.Start, got)
			}
			out = append(out, s)
		}
		return true
	})
	return out
}

func TestRegexes(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{`location ~ ^/a { } location ~* \.php$ { } location ~^/b { } location ~*^/c { } location /d { } location = /e { }`,
			[]string{`location:"^/a"`, `location:"\\.php$"i`, `location:"^/b"`, `location:"^/c"i`}},
		{`if ($uri ~ ^/x(.*)) { } if ( $a !~* "y" ) { } if ($b) { } if ($c = z) { } if ("$d" ~ "(w)") { }`,
			[]string{`if:"^/x(.*)"`, `if:"y"i!`, `if:"(w)"`}},
		{`if ($a !~ ^/n) { } if ($a ~* ^/m) { }`, []string{`if:"^/n"!`, `if:"^/m"i`}},
		{`rewrite ^/old/(.*)$ /new/$1 last; fastcgi_split_path_info ^(.+\.php)(/.+)$;`,
			[]string{`rewrite:"^/old/(.*)$"`, `fastcgi_split_path_info:"^(.+\\.php)(/.+)$"`}},
		{`map $uri $m { default 0; ~^/a 1; ~*^/b 2; "~^/c d" 3; /plain 4; }`,
			[]string{`~^/a:"^/a"`, `~*^/b:"^/b"i`, `~^/c d:"^/c d"`}},
		{`server_name example.com ~^www\.(?<sub>.+)$ *.example.org;`,
			[]string{`server_name:"^www\\.(?<sub>.+)$"i`}},
		{`valid_referers none ~\.google\.; gzip_disable msie6 "MSIE [1-6]\.";`,
			[]string{`valid_referers:"\\.google\\."i`, `gzip_disable:"MSIE [1-6]\\."i`}},
		{`proxy_redirect ~^http://x(/.*)$ $1; proxy_cookie_path ~*^/a /b; proxy_redirect default;`,
			[]string{`proxy_redirect:"^http://x(/.*)$"`, `proxy_cookie_path:"^/a"i`}},
	}
	for _, tt := range tests {
		if got := regexesIn(parseString(tt.src)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s\n got %q\nwant %q", tt.src, got, tt.want)
		}
	}
}

// TestRegexErrorSpan: a PCRE error lands on its character in the file,
// through the ~, the if's "(", quotes and escapes.
func TestRegexErrorSpan(t *testing.T) {
	tests := []struct {
		src string
		at  string // the source from the error's position on
	}{
		{`location ~ ^/a(b { }`, `(b { }`},
		{`location ~*^/a)b { }`, `)b { }`},
		{`if ($uri ~ "^/\"x*+*") { }`, `*") { }`},
		{`if ($a = "~(") { }`, ""},                                  // a string comparison: no regex
		{"map $a $b {\n  \"~^/\\\"[z-a]\" 1;\n}", `a]" 1;` + "\n}"}, // at the range's end
		{`rewrite ^/(?<n>x)(?<n>y) /;`, `(?<n>y) /;`},
	}
	for _, tt := range tests {
		c := parseString(tt.src)
		var got []string
		Walk(c, func(d *Directive) bool {
			for _, r := range Regexes(d) {
				_, err := r.Parse()
				var e *pcre.Error
				if !errors.As(err, &e) {
					got = append(got, fmt.Sprintf("no error in %q", r.Pattern))
					continue
				}
				sp := r.Span(e.Offset, e.Offset+1)
				got = append(got, tt.src[sp.Start.Offset:])
				if want := c.File.Pos(sp.Start.Offset); sp.Start != want {
					t.Errorf("%q: position %+v, the file says %+v", tt.src, sp.Start, want)
				}
			}
			return true
		})
		want := []string{tt.at}
		if tt.at == "" {
			want = nil
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q: error at %q, want %q", tt.src, got, want)
		}
	}
}
