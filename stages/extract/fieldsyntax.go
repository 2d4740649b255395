package extract

import (
	"fmt"
	"strings"

	"github.com/sluicehq/sluice/stages/extract/internal/editdist"
)

// FieldSyntaxError says a field written in the compact syntax of
// [ParseField] or [ParseJSONField] does not parse.
type FieldSyntaxError struct {
	Input string // the text as given
	Msg   string // what is wrong with it
}

// Error describes the failure.
func (e *FieldSyntaxError) Error() string {
	return fmt.Sprintf("extract: invalid field %q: %s", e.Input, e.Msg)
}

// ParseField parses an HTML field written as NAME=SELECTOR[@ATTR][|OPTION...],
// the syntax of sluice's --field flag. SELECTOR is a CSS selector (empty:
// the item itself) and @ATTR takes that attribute instead of the text; an
// '@' or '|' inside brackets, parentheses or quotes is the selector's own,
// and so is the '|' of CSS's |= operator. Each |OPTION is one of
//
//	text, html, outer_html    Take (outer-html is accepted too)
//	count, exists             Take
//	all                       All
//	string, int, float, bool  Type
//	time, time:LAYOUT         Type
//	required                  Required
//	default:VALUE             Default
//	re:REGEX                  Regex; it takes the rest of s, '|' included
//
// Name and selector are kept as written. Two options that set the same
// thing differently, and an unknown option, are a [*FieldSyntaxError];
// selectors, regexes and defaults are checked later, by [NewHTML].
func ParseField(s string) (Field, error) {
	name, rest, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(name) == "" {
		return Field{}, &FieldSyntaxError{Input: s, Msg: "want NAME=SELECTOR[@ATTR][|OPTION...]"}
	}
	sel, opts := splitOptions(rest)
	f := Field{Name: name, Selector: sel}
	if i := topLevelIndex(sel, '@', true); i >= 0 {
		f.Selector, f.Attr = sel[:i], strings.TrimSpace(sel[i+1:])
		if f.Attr == "" {
			return f, &FieldSyntaxError{Input: s, Msg: "empty attribute name after @"}
		}
	}
	for _, o := range opts {
		if msg := applyHTMLOption(&f, o); msg != "" {
			return f, &FieldSyntaxError{Input: s, Msg: msg}
		}
	}
	return f, nil
}

// ParseJSONField parses a JSON field written as NAME[=PATH][|OPTION...],
// PATH a gjson path (empty: NAME). gjson paths use '|' themselves, so only
// a tail of '|'-separated words that are all options is taken as options:
// string, int, float, bool, time, time:LAYOUT, required and default:VALUE.
// Name and path are trimmed of spaces.
func ParseJSONField(s string) (JSONField, error) {
	head, opts := s, []string(nil)
	for {
		i := strings.LastIndexByte(head, '|')
		if i < 0 || !isJSONOption(strings.TrimSpace(head[i+1:])) {
			break
		}
		head, opts = head[:i], append([]string{strings.TrimSpace(head[i+1:])}, opts...)
	}
	name, path, _ := strings.Cut(head, "=")
	f := JSONField{Name: strings.TrimSpace(name), Path: strings.TrimSpace(path)}
	if f.Name == "" {
		return f, &FieldSyntaxError{Input: s, Msg: "want NAME[=PATH][|OPTION...]"}
	}
	var msg string
	for _, o := range opts {
		switch {
		case o == "required":
			f.Required = true
		case strings.HasPrefix(o, "default:"):
			f.Default = strings.TrimPrefix(o, "default:")
		default:
			typ, _ := typeOption(o)
			f.Type = setOnce(&msg, f.Type, typ, "type")
		}
	}
	if msg != "" {
		return f, &FieldSyntaxError{Input: s, Msg: msg}
	}
	return f, nil
}

// isJSONOption reports whether o is an option of a JSON field.
func isJSONOption(o string) bool {
	typ, msg := typeOption(o)
	return o == "required" || strings.HasPrefix(o, "default:") || (msg == "" && typ != "")
}

// applyHTMLOption applies one |OPTION to f, or says what is wrong with it.
func applyHTMLOption(f *Field, o string) (msg string) {
	switch o {
	case "all":
		f.All = true
	case "required":
		f.Required = true
	case "text", "html", "outer_html", "outer-html", "count", "exists":
		f.Take = setOnce(&msg, f.Take, Take(strings.ReplaceAll(o, "-", "_")), "take")
	default:
		switch {
		case strings.HasPrefix(o, "re:"):
			f.Regex = strings.TrimPrefix(o, "re:")
		case strings.HasPrefix(o, "default:"):
			f.Default = strings.TrimPrefix(o, "default:")
		default:
			var typ Type
			if typ, msg = typeOption(o); msg == "" && typ == "" {
				msg = unknownOption(o)
			}
			f.Type = setOnce(&msg, f.Type, typ, "type")
		}
	}
	if msg == "" && f.Attr != "" && f.Take == TakeText {
		msg = "option text contradicts @" + f.Attr
	}
	return msg
}

// typeOption returns the type an option names, or "" if it names none.
func typeOption(o string) (Type, string) {
	switch o {
	case "string", "int", "float", "bool", "time":
		return Type(o), ""
	}
	if strings.HasPrefix(o, "time:") {
		if o == "time:" {
			return "", "option time: needs a layout, e.g. time:2006-01-02"
		}
		return Type(o), ""
	}
	return "", ""
}

// setOnce returns v, or sets *msg when an earlier option already set old
// to something else.
func setOnce[T ~string](msg *string, old, v T, what string) T {
	if *msg == "" && old != "" && v != "" && old != v {
		*msg = fmt.Sprintf("options %s and %s both set the %s", old, v, what)
	}
	if v == "" {
		return old
	}
	return v
}

// fieldOptions are the options of an HTML field, as the error lists them.
var fieldOptions = []string{"text", "html", "outer_html", "count", "exists", "all", "string", "int", "float", "bool",
	"time", "time:LAYOUT", "required", "default:VALUE", "re:REGEX"}

func unknownOption(o string) string {
	msg := fmt.Sprintf("unknown option %q", o)
	if best := editdist.Closest(o, fieldOptions); best != "" {
		msg += fmt.Sprintf("; did you mean %q?", best)
	}
	return fmt.Sprintf("%s (options: %s)", msg, strings.Join(fieldOptions, ", "))
}

// splitOptions splits s at its first top-level '|' into the head and the
// options. An option starting with "re:" takes the rest of s, '|'
// included.
func splitOptions(s string) (head string, opts []string) {
	i := topLevelIndex(s, '|', false)
	if i < 0 {
		return s, nil
	}
	head, rest := s[:i], s[i+1:]
	for {
		if t := strings.TrimLeft(rest, " "); strings.HasPrefix(t, "re:") {
			return head, append(opts, t)
		}
		o, more, found := strings.Cut(rest, "|")
		if o = strings.TrimSpace(o); o != "" {
			opts = append(opts, o)
		}
		if !found {
			return head, opts
		}
		rest = more
	}
}

// topLevelIndex returns the index of c in s outside brackets, parentheses
// and quotes (the first one, or the last when last is set), or -1. A '|'
// followed by '=' is CSS's |= operator, not a separator.
func topLevelIndex(s string, c byte, last bool) int {
	depth, quote, at := 0, byte(0), -1
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case quote != 0:
			if b == '\\' {
				i++
			} else if b == quote {
				quote = 0
			}
		case b == '"' || b == '\'':
			quote = b
		case b == '[' || b == '(':
			depth++
		case (b == ']' || b == ')') && depth > 0:
			depth--
		case b == c && depth == 0 && !(c == '|' && i+1 < len(s) && s[i+1] == '='):
			if !last {
				return i
			}
			at = i
		}
	}
	return at
}
