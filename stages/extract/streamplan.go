package extract

import (
	"golang.org/x/net/html/atom"
)

// streamPlan is what an [HTML] needs to extract from the token stream
// instead of a parsed document; it exists only when every selector and
// every take of the spec is in the streaming subset (see doc.go).
type streamPlan struct {
	keys []string // attribute keys that matching or taking reads
}

// newStreamPlan returns the plan for a compiled spec, or nil when the spec
// needs the full document: a selector outside the subset, take html or
// outer_html, or a Func field.
func newStreamPlan(items string, fields []htmlField) *streamPlan {
	sp := &streamPlan{}
	if !sp.addSelector(items) || !sp.addFields(fields) {
		return nil
	}
	return sp
}

func (sp *streamPlan) addFields(fields []htmlField) bool {
	for i := range fields {
		f := &fields[i]
		if f.fn != nil || f.take == TakeHTML || f.take == TakeOuterHTML {
			return false
		}
		if !sp.addSelector(f.selText) || !sp.addFields(f.sub) {
			return false
		}
		if f.take == TakeAttr {
			sp.addKey(f.attr)
		}
	}
	return true
}

func (sp *streamPlan) addSelector(sel string) bool {
	if isBlank(sel) {
		return true
	}
	keys, ok := scanSelector(sel)
	for _, k := range keys {
		sp.addKey(k)
	}
	return ok
}

func (sp *streamPlan) addKey(k string) {
	for _, x := range sp.keys {
		if x == k {
			return
		}
	}
	sp.keys = append(sp.keys, k)
}

// keep reports whether the attribute key of an element a is needed:
// for a selector or a field, for <base href>, or for links.
func (sp *streamPlan) keep(a atom.Atom, key []byte, links bool) bool {
	if string(key) == "href" && (a == atom.Base || links && (a == atom.A || a == atom.Area)) {
		return true
	}
	for _, k := range sp.keys {
		if k == string(key) {
			return true
		}
	}
	return false
}
