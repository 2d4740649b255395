package crawl

import "strings"

// localSel describes a selector the token pass can match: one whose
// match depends on the element alone (see parseLocal).
type localSel struct {
	types    []string // the type selectors' tag names, lower case
	typeless bool     // some compound has no type selector: any element may match
	keys     []string // the attributes the selector reads, lower case
}

// synthesized are the elements the HTML parser creates without a tag of
// theirs (implied html, head and body; <p> for a stray </p>, <br> for
// </br>): a compound naming one of them must test an attribute, which
// those elements never have.
var synthesized = map[string]bool{"html": true, "head": true, "body": true, "p": true, "br": true}

// parseLocal reports whether sel is in the token pass's subset, and what
// it needs: a group (a, b) of compounds, each a type selector or *
// followed by any number of .class, #id, [attr] and [attr OP value] with
// OP one of = ~= |= ^= $= *=, the value an identifier or a quoted string
// without backslashes. Identifiers are ASCII letters, digits, - and _.
// A compound with no class, id or attribute test must name a type other
// than html, head, body, p and br. Anything else — combinators, pseudo
// classes, !=, the i flag, escapes — is not in the subset. sel must
// already compile (cascadia).
func parseLocal(sel string) (localSel, bool) {
	var ls localSel
	for _, c := range splitGroup(sel) {
		if !ls.compound(strings.Trim(c, " \t\n\r\f")) {
			return localSel{}, false
		}
	}
	return ls, true
}

// splitGroup splits sel at the commas outside brackets and quotes.
func splitGroup(sel string) []string {
	var parts []string
	start, inBracket, quote := 0, false, byte(0)
	for i := 0; i < len(sel); i++ {
		switch b := sel[i]; {
		case quote != 0:
			if b == quote {
				quote = 0
			}
		case b == '"' || b == '\'':
			quote = b
		case b == '[':
			inBracket = true
		case b == ']':
			inBracket = false
		case b == ',' && !inBracket:
			parts = append(parts, sel[start:i])
			start = i + 1
		}
	}
	return append(parts, sel[start:])
}

func (ls *localSel) compound(s string) bool {
	if s == "" {
		return false
	}
	typ, i := "", 0
	if s[0] == '*' {
		i = 1
	} else {
		i = identLen(s)
		typ = strings.ToLower(s[:i])
	}
	tests := 0
	for i < len(s) {
		var n int
		switch s[i] {
		case '.', '#':
			n = identLen(s[i+1:])
			if n == 0 {
				return false
			}
			if s[i] == '.' {
				ls.addKey("class")
			} else {
				ls.addKey("id")
			}
			n++
		case '[':
			if n = ls.attrTest(s[i:]); n == 0 {
				return false
			}
		default:
			return false
		}
		i += n
		tests++
	}
	if tests == 0 && (typ == "" || synthesized[typ]) {
		return false
	}
	if typ == "" {
		ls.typeless = true
	} else {
		ls.types = append(ls.types, typ)
	}
	return true
}

// attrTest reads the attribute test s starts with and returns its
// length, or 0 when it is not in the subset.
func (ls *localSel) attrTest(s string) int {
	i := skipSpace(s, 1)
	n := identLen(s[i:])
	if n == 0 {
		return 0
	}
	ls.addKey(strings.ToLower(s[i : i+n]))
	i = skipSpace(s, i+n)
	if i < len(s) && s[i] == ']' {
		return i + 1
	}
	switch {
	case i < len(s) && s[i] == '=':
		i++
	case i+1 < len(s) && strings.IndexByte("~|^$*", s[i]) >= 0 && s[i+1] == '=':
		i += 2
	default:
		return 0
	}
	i = skipSpace(s, i)
	if i < len(s) && (s[i] == '"' || s[i] == '\'') {
		end := strings.IndexByte(s[i+1:], s[i])
		if end < 0 || strings.IndexByte(s[i+1:i+1+end], '\\') >= 0 {
			return 0
		}
		i += end + 2
	} else if n := identLen(s[i:]); n > 0 {
		i += n
	} else {
		return 0
	}
	i = skipSpace(s, i)
	if i < len(s) && s[i] == ']' {
		return i + 1
	}
	return 0
}

func (ls *localSel) addKey(k string) {
	for _, have := range ls.keys {
		if have == k {
			return
		}
	}
	ls.keys = append(ls.keys, k)
}

func identLen(s string) int {
	for i := 0; i < len(s); i++ {
		if b := s[i]; !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_') {
			return i
		}
	}
	return len(s)
}

func skipSpace(s string, i int) int {
	for i < len(s) && strings.IndexByte(" \t\n\r\f", s[i]) >= 0 {
		i++
	}
	return i
}
