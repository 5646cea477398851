package nginx

// Location is a `location` block read as nginx matches it.
type Location struct {
	Directive *Directive
	// Modifier is "", "=", "~", "~*" or "^~" (or "@" for a named
	// location, whose Match is the name without the @).
	Modifier string
	// Match is the argument holding the prefix, the regex or the name.
	Match *Arg
	// Pattern is the prefix, regex or name as nginx uses it (without a
	// modifier glued to it); PatternOffset is where it starts in Match.Value.
	Pattern       string
	PatternOffset int
	// Regex is set for ~ and ~*; CaseInsensitive for ~*.
	Regex, CaseInsensitive bool
}

// LocationOf reads d (a `location` block) from our arguments, with
// their positions; false when d has no match argument.
func LocationOf(d *Directive) (Location, bool) {
	if d.Name != "location" || len(d.Args) == 0 {
		return Location{}, false
	}
	l := Location{Directive: d, Match: d.Args[len(d.Args)-1]}
	// Our arguments say all gonginx's view would (its modifier is the
	// first of two arguments), without joining the block for every
	// location, which was a tenth of a lint run with every rule on.
	if len(d.Args) > 1 {
		l.Modifier = d.Args[0].Value
	}
	if len(d.Args) == 1 && len(l.Match.Value) > 0 && l.Match.Value[0] == '@' {
		l.Modifier = "@"
	}
	// A modifier glued to the match (`location ~^/x`, `location =/`) is
	// one argument to us and to gonginx; nginx splits it.
	if len(d.Args) == 1 && l.Modifier == "" {
		for _, m := range []string{"~*", "^~", "~", "="} {
			if len(l.Match.Value) > len(m) && l.Match.Value[:len(m)] == m {
				l.Modifier, l.PatternOffset = m, len(m)
				break
			}
		}
	}
	if l.Modifier == "@" {
		l.PatternOffset = 1
	}
	l.Pattern = l.Match.Value[l.PatternOffset:]
	l.Regex = l.Modifier == "~" || l.Modifier == "~*"
	l.CaseInsensitive = l.Modifier == "~*"
	return l, true
}
