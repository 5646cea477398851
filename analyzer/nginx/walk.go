package nginx

// Walk visits the directives of one file in pre-order (source order). When
// fn returns false the children of that directive are skipped. Included
// files are not entered: the engine visits each file once.
func Walk(c *Config, fn func(d *Directive) bool) {
	if c != nil {
		walkList(c.Directives, fn)
	}
}

func walkList(list []*Directive, fn func(d *Directive) bool) {
	for _, d := range list {
		if fn(d) {
			walkList(d.Block, fn)
		}
	}
}
