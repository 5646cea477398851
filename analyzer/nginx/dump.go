package nginx

import (
	"bytes"
	"strings"
)

// DumpFile is one file of an nginx -T dump: its path on the machine that
// made the dump and its bytes, as they were on disk.
type DumpFile struct {
	Path string
	Src  []byte
}

// dumpMarker starts the line nginx -T writes before each file's content:
// "# configuration file /etc/nginx/nginx.conf:".
const dumpMarker = "# configuration file "

// dumpNote is the start of nginx's own messages ("nginx: the configuration
// file ... syntax is ok", warnings), which come first in `nginx -T 2>&1`.
const dumpNote = "nginx: "

// IsDump reports whether src (or its beginning) is the output of nginx -T:
// after nginx's own messages, a marker line naming an absolute path.
func IsDump(src []byte) bool {
	for len(src) > 0 {
		line, rest, _ := bytes.Cut(src, []byte("\n"))
		switch {
		case bytes.HasPrefix(line, []byte(dumpNote)) || len(bytes.TrimSpace(line)) == 0:
			src = rest
		default:
			_, ok := markerPath(line)
			return ok
		}
	}
	return false
}

// markerPath returns the path of a marker line.
func markerPath(line []byte) (string, bool) {
	s := strings.TrimSuffix(string(line), "\r")
	path, ok := strings.CutPrefix(s, dumpMarker)
	if !ok {
		return "", false
	}
	path, ok = strings.CutSuffix(path, ":")
	if !ok || !strings.HasPrefix(path, "/") {
		return "", false
	}
	return path, true
}

// SplitDump splits an nginx -T dump back into its files, in dump order
// (the main file first); nil when src is not a dump. nginx writes each
// file as a marker line, the file's bytes, then one newline of its own,
// which is dropped here so that every file keeps its own lines and
// offsets. A path dumped twice keeps its first copy.
func SplitDump(src []byte) []DumpFile {
	if !IsDump(src) {
		return nil
	}
	var files []DumpFile
	seen := map[string]bool{}
	var cur *DumpFile
	start := 0 // offset of the current file's content
	finish := func(end int) {
		if cur == nil {
			return
		}
		body := src[start:end]
		body = bytes.TrimSuffix(body, []byte("\n"))
		if !seen[cur.Path] {
			seen[cur.Path] = true
			cur.Src = body
			files = append(files, *cur)
		}
	}
	for off := 0; off < len(src); {
		end := bytes.IndexByte(src[off:], '\n')
		next := len(src)
		if end >= 0 {
			end += off
			next = end + 1
		} else {
			end = len(src)
		}
		line := src[off:end]
		if path, ok := markerPath(line); ok {
			finish(off)
			cur, start = &DumpFile{Path: path}, next
		}
		off = next
	}
	finish(trimNotes(src, start))
	return files
}

// trimNotes returns the end of src without the nginx messages that close a
// dump when standard error followed it ("nginx: ... test is successful"),
// never moving before from.
func trimNotes(src []byte, from int) int {
	end := len(src)
	for end > from {
		body := bytes.TrimSuffix(src[from:end], []byte("\n"))
		i := bytes.LastIndexByte(body, '\n')
		last := body[i+1:]
		if !bytes.HasPrefix(last, []byte(dumpNote+"the configuration file ")) && !bytes.HasPrefix(last, []byte(dumpNote+"configuration file ")) {
			break
		}
		end = from + i + 1
	}
	return end
}
