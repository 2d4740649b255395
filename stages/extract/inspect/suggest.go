package inspect

import (
	"slices"
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"

	"github.com/sluicehq/sluice/stages/extract/internal/editdist"
)

// Suggestion is a selector like one that matches nothing, checked to
// match something.
type Suggestion struct {
	CSS     string
	Matches int    // elements it matches (inside the items, when given)
	Text    string // the text of its first match, spaces normalised
}

// Suggest returns up to three selectors that differ from selector in one
// class, id or tag name (a name on the page that is spelt alike, differs
// in case, contains or is contained in it, or shares a word of a
// hyphenated name) or that drop its tag (span.price → .price), and that
// match: in the items when items is a CSS selector, else in the page.
// The nearest come first, then those matching more. It returns nothing
// when selector or items does not compile.
func (p *Page) Suggest(items, selector string) []Suggestion {
	scopes := p.scopes(items)
	vocab := pageVocabulary(p.doc())
	seen := map[string]bool{selector: true}
	type scored struct {
		Suggestion
		cost int
	}
	var out []scored
	for _, tok := range tokens(selector) {
		for name, cost := range alike(selector, tok, vocab[tok.kind]) {
			s := selector[:tok.start] + name + selector[tok.end:]
			if seen[s] {
				continue
			}
			seen[s] = true
			if sg, ok := matchIn(s, scopes); ok {
				out = append(out, scored{sg, cost})
			}
		}
	}
	slices.SortFunc(out, func(a, b scored) int {
		if a.cost != b.cost {
			return a.cost - b.cost
		}
		if a.Matches != b.Matches {
			return b.Matches - a.Matches
		}
		return strings.Compare(a.CSS, b.CSS)
	})
	sugs := make([]Suggestion, 0, min(len(out), 3))
	for _, s := range out[:min(len(out), 3)] {
		sugs = append(sugs, s.Suggestion)
	}
	return sugs
}

// alike returns the names of the page like the token's word, with their
// cost (lower is a better guess); "" stands for dropping a tag.
func alike(sel string, tok selToken, names map[string]bool) map[string]int {
	word := sel[tok.start:tok.end]
	cands := map[string]int{}
	for name := range names {
		if c, ok := nameCost(word, name); ok {
			cands[name] = c
		}
	}
	if tok.kind == 't' && tok.end < len(sel) && strings.ContainsRune(".#[:", rune(sel[tok.end])) {
		cands[""] = 2
	}
	return cands
}

// matchIn counts what sel matches in the scopes.
func matchIn(sel string, scopes []*html.Node) (Suggestion, bool) {
	m, err := cascadia.ParseGroup(sel)
	if err != nil {
		return Suggestion{}, false
	}
	s := Suggestion{CSS: sel}
	for _, sc := range scopes {
		ms := cascadia.QueryAll(sc, m)
		if len(ms) > 0 && s.Matches == 0 {
			s.Text = normalizeSpace(textOf(ms[0]))
		}
		s.Matches += len(ms)
	}
	return s, s.Matches > 0
}

// nameCost says how alike a selector word and a page name are: the edit
// distance, or a small cost when one contains the other or they share a
// word of a hyphenated or underscored name.
func nameCost(word, name string) (int, bool) {
	w, n := strings.ToLower(word), strings.ToLower(name)
	if w == n {
		return 0, word != name // same but for case: selectors are case-sensitive
	}
	d := editdist.Distance(w, n)
	if d <= max(1, len(w)/3) {
		return d, true
	}
	if len(w) >= 3 && (strings.Contains(n, w) || strings.Contains(w, n) && len(n) >= 3) {
		return 3, true
	}
	for _, p := range strings.FieldsFunc(n, isWordSep) {
		for _, q := range strings.FieldsFunc(w, isWordSep) {
			if len(p) >= 3 && editdist.Distance(p, q) <= max(1, len(q)/4) {
				return 4, true
			}
		}
	}
	return 0, false
}

func isWordSep(r rune) bool { return r == '-' || r == '_' }
