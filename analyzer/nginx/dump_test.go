package nginx

import (
	"reflect"
	"testing"
)

func TestSplitDump(t *testing.T) {
	// As nginx -T writes it: a marker, the file's bytes, one newline of
	// its own (so a file ending in "\n" is followed by an empty line).
	dump := "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n" +
		"nginx: configuration file /etc/nginx/nginx.conf test is successful\n" +
		"# configuration file /etc/nginx/nginx.conf:\n" +
		"events {}\nhttp { include conf.d/*.conf; }\n" + "\n" +
		"# configuration file /etc/nginx/conf.d/a.conf:\n" +
		"server { listen 80; }" + "\n" + // no final newline of its own
		"# configuration file /etc/nginx/conf.d/b.conf:\n" +
		"# configuration file is a comment: not a marker\n\n" + "\n" +
		"# configuration file /etc/nginx/conf.d/a.conf:\n" +
		"server { listen 81; }\n" + "\n" +
		"nginx: configuration file /etc/nginx/nginx.conf test is successful\n"
	got := SplitDump([]byte(dump))
	want := []DumpFile{
		{"/etc/nginx/nginx.conf", []byte("events {}\nhttp { include conf.d/*.conf; }\n")},
		{"/etc/nginx/conf.d/a.conf", []byte("server { listen 80; }")},
		{"/etc/nginx/conf.d/b.conf", []byte("# configuration file is a comment: not a marker\n\n")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("SplitDump\n got %q\nwant %q", got, want)
	}
	for _, notDump := range []string{
		"",
		"events {}\n# configuration file /etc/nginx/nginx.conf:\n",
		"# configuration file nginx.conf:\nevents {}\n",
		"# configuration file /etc/nginx/nginx.conf\nevents {}\n",
		"nginx: [emerg] unknown directive \"x\" in /etc/nginx/nginx.conf:1\n",
	} {
		if IsDump([]byte(notDump)) || SplitDump([]byte(notDump)) != nil {
			t.Errorf("%q taken for a dump", notDump)
		}
	}
	// An empty file keeps its place.
	if got := SplitDump([]byte("# configuration file /e.conf:\n\n")); len(got) != 1 || len(got[0].Src) != 0 {
		t.Errorf("empty file: %q", got)
	}
}
