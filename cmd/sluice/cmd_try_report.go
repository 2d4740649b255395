package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"

	"github.com/sluicehq/sluice/stages/extract"
	"github.com/sluicehq/sluice/stages/fetch"
)

// trySpec is what try extracts: exactly one of html and json.
type trySpec struct {
	html *extract.HTMLSpec
	json *extract.JSONSpec
}

// tryer prints what a spec extracts from one page.
type tryer struct {
	out  io.Writer
	page *page
	spec trySpec
}

// charsetSources explains each charset source in words.
var charsetSources = map[fetch.CharsetSource]string{
	fetch.CharsetBOM:      "declared by a byte order mark",
	fetch.CharsetHeader:   "declared in the Content-Type header",
	fetch.CharsetMeta:     "declared by a <meta> in the first 1024 bytes",
	fetch.CharsetMetaLate: "declared by a <meta> later in the head",
	fetch.CharsetDefault:  "nothing declared, and the bytes are valid UTF-8",
	fetch.CharsetDetected: "nothing declared; guessed from the bytes",
	fetch.CharsetFallback: "nothing declared, not UTF-8, no good guess: the web's last resort",
}

// header prints where the page came from and how it was decoded.
func (t *tryer) header() {
	r := t.page.resp
	w := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
	if t.page.file != "" {
		fmt.Fprintf(w, "file:\t%s\n", t.page.file)
	} else {
		fmt.Fprintf(w, "url:\t%s", r.URL)
		if r.URL.String() != r.Request.URL {
			fmt.Fprintf(w, " (redirected from %s)", r.Request.URL)
		}
		fmt.Fprintf(w, "\nstatus:\t%d %s\n", r.StatusCode, http.StatusText(r.StatusCode))
	}
	fmt.Fprintf(w, "type:\t%s, %d bytes\n", orNone(r.ContentType), len(r.Raw))
	if r.CharsetSource == fetch.CharsetNone {
		fmt.Fprintf(w, "charset:\tnot converted\n")
	} else {
		fmt.Fprintf(w, "charset:\t%s (source %s: %s; confidence %d)\n", r.Charset, r.CharsetSource, charsetSources[r.CharsetSource], r.CharsetConfidence)
	}
	w.Flush()
}

// fields prints every field of the spec with its value and matches.
func (t *tryer) fields() {
	if t.spec.json != nil {
		t.jsonFields()
		return
	}
	spec := t.spec.html
	scopes := t.scopes(spec.Items)
	if spec.Items != "" {
		fmt.Fprintf(t.out, "items:    %s  %s\n", spec.Items, plural(len(scopes), "match", "matches"))
		if len(scopes) == 0 {
			t.didYouMean(spec.Items, []*html.Node{t.page.doc})
		}
	}
	if len(spec.Fields) == 0 {
		return
	}
	fmt.Fprintln(t.out, "fields:")
	w := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
	var unmatched []extract.Field
	for _, f := range spec.Fields {
		n, in := t.count(f.Selector, scopes)
		fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", f.Name, describeField(f), matchText(n, in, len(scopes), spec.Items != ""), t.value(spec.Items, f))
		if n == 0 && strings.TrimSpace(f.Selector) != "" {
			unmatched = append(unmatched, f)
		}
	}
	w.Flush()
	for _, f := range unmatched {
		t.didYouMean(f.Selector, scopes)
	}
	t.verdict()
}

// scopes returns the elements fields are matched in: the items, or the
// document.
func (t *tryer) scopes(items string) []*html.Node {
	if strings.TrimSpace(items) == "" {
		return []*html.Node{t.page.doc}
	}
	m, err := cascadia.ParseGroup(items)
	if err != nil {
		return nil // checked before
	}
	return cascadia.QueryAll(t.page.doc, m)
}

// count returns how many elements sel matches in all the scopes, and in
// how many scopes it matches at all.
func (t *tryer) count(sel string, scopes []*html.Node) (n, in int) {
	if strings.TrimSpace(sel) == "" {
		return len(scopes), len(scopes)
	}
	m, err := cascadia.ParseGroup(sel)
	if err != nil {
		return 0, 0
	}
	for _, s := range scopes {
		if c := len(cascadia.QueryAll(s, m)); c > 0 {
			n, in = n+c, in+1
		}
	}
	return n, in
}

func matchText(n, in, items int, hasItems bool) string {
	s := plural(n, "match", "matches")
	if hasItems {
		s += fmt.Sprintf(" in %d of %d items", in, items)
	}
	return s
}

// value is the field's value in the first record, as the record holds it.
func (t *tryer) value(items string, f extract.Field) string {
	f.Required = false
	h, err := extract.NewHTML(extract.HTMLSpec{Items: items, Fields: []extract.Field{f}})
	if err != nil {
		return "error: " + err.Error()
	}
	recs, err := h.Records(t.page.resp)
	switch {
	case err != nil:
		return "error: " + strings.TrimPrefix(err.Error(), "extract: ")
	case len(recs) == 0:
		return "(no items)"
	}
	v, first := recs[0].Fields[0].Value, ""
	if items != "" {
		first = "item 1: "
	}
	f.Required = true
	h, _ = extract.NewHTML(extract.HTMLSpec{Items: items, Fields: []extract.Field{f}})
	var me *extract.MissingFieldError
	if _, err := h.Records(t.page.resp); errors.As(err, &me) {
		if me.Item == 0 {
			return first + "missing, so " + showValue(v)
		}
		return fmt.Sprintf("%s%s (missing in item %d)", first, showValue(v), me.Item+1)
	}
	return first + showValue(v)
}

// verdict says whether the page yields records with the whole spec.
func (t *tryer) verdict() {
	h, err := extract.NewHTML(*t.spec.html)
	if err != nil {
		return
	}
	recs, err := h.Records(t.page.resp)
	if err != nil {
		fmt.Fprintf(t.out, "records:  none; a run would fail this page: %v\n", err)
		return
	}
	fmt.Fprintf(t.out, "records:  %d\n", len(recs))
}

// describeField shows a field's selector, attribute and options.
func describeField(f extract.Field) string {
	s := f.Selector
	if s == "" {
		s = "(the item)"
	}
	if f.Attr != "" {
		s += "@" + f.Attr
	}
	var opts []string
	if f.Take != "" && f.Take != extract.TakeText && f.Take != extract.TakeAttr {
		opts = append(opts, string(f.Take))
	}
	if f.All {
		opts = append(opts, "all")
	}
	if f.Type != "" && f.Type != extract.TypeString {
		opts = append(opts, string(f.Type))
	}
	if f.Required {
		opts = append(opts, "required")
	}
	if f.Default != "" {
		opts = append(opts, "default:"+f.Default)
	}
	if f.Regex != "" {
		opts = append(opts, "re:"+f.Regex)
	}
	if len(opts) > 0 {
		s += "|" + strings.Join(opts, "|")
	}
	return s
}

// showValue renders a record value as JSON, cut to a line.
func showValue(v any) string {
	if tm, ok := v.(time.Time); ok {
		return tm.Format(time.RFC3339Nano) + " (time)"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return cut(string(b), 100)
}

// cut shortens s to n runes with an ellipsis.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// checkSpec compiles the spec; an invalid selector is a usage error that
// shows the selector with a caret under the position of the fault.
func checkSpec(spec trySpec) error {
	var err error
	if spec.json != nil {
		_, err = extract.NewJSON(*spec.json)
	} else {
		_, err = extract.NewHTML(*spec.html)
	}
	return usageError(selectorCaret(err))
}

// selectorCaret turns a *extract.SelectorError into a message with the
// selector and a caret under the offset; other errors are returned as
// they are.
func selectorCaret(err error) error {
	var se *extract.SelectorError
	if !errors.As(err, &se) {
		return err
	}
	at := ""
	if se.Offset >= 0 {
		at = fmt.Sprintf(" at byte %d", se.Offset)
	}
	return fmt.Errorf("field %q: invalid CSS selector%s: %v\n%s", se.Field, at, se.Err, caretLines(se))
}

// appendCaret adds the selector with a caret under the fault to an error
// that wraps a *extract.SelectorError (a job's, which names the field).
func appendCaret(err error) error {
	var se *extract.SelectorError
	if !errors.As(err, &se) {
		return err
	}
	return fmt.Errorf("%w\n%s", err, caretLines(se))
}

// caretLines shows the selector, and under it a caret at the offset.
func caretLines(se *extract.SelectorError) string {
	s := "  " + se.Selector
	if se.Offset >= 0 && se.Offset <= len(se.Selector) {
		s += "\n  " + strings.Repeat(" ", utf8.RuneCountInString(se.Selector[:se.Offset])) + "^"
	}
	return s
}
