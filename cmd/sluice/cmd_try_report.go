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

	"github.com/sluicehq/sluice/stages/extract"
	"github.com/sluicehq/sluice/stages/extract/inspect"
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
	rep, err := t.page.insp.Fields(*spec)
	if err != nil {
		return // checked before
	}
	if spec.Items != "" {
		fmt.Fprintf(t.out, "items:    %s  %s\n", spec.Items, plural(rep.Items, "match", "matches"))
		if rep.Items == 0 {
			t.didYouMean("", spec.Items, 0)
		}
	}
	if len(spec.Fields) == 0 {
		return
	}
	fmt.Fprintln(t.out, "fields:")
	w := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
	for _, fr := range rep.Fields {
		fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", fr.Field.Name, describeField(fr.Field),
			matchText(fr.Matches, fr.InItems, rep.Items, spec.Items != ""), fieldValue(fr, spec.Items != ""))
	}
	w.Flush()
	for _, fr := range rep.Fields {
		if fr.Matches == 0 && strings.TrimSpace(fr.Field.Selector) != "" {
			t.didYouMean(spec.Items, fr.Field.Selector, rep.Items)
		}
	}
	verdict(t.out, rep.Records, rep.Err)
}

func matchText(n, in, items int, hasItems bool) string {
	s := plural(n, "match", "matches")
	if hasItems {
		s += fmt.Sprintf(" in %d of %d items", in, items)
	}
	return s
}

// fieldValue shows the field's value in the first record, as the record
// holds it, and where it is missing.
func fieldValue(fr inspect.FieldResult, hasItems bool) string {
	switch {
	case fr.Err != nil:
		return "error: " + strings.TrimPrefix(fr.Err.Error(), "extract: ")
	case fr.Records == 0:
		return "(no items)"
	}
	first := ""
	if hasItems {
		first = "item 1: "
	}
	switch fr.Missing {
	case -1:
		return first + showValue(fr.Value)
	case 0:
		return first + "missing, so " + showValue(fr.Value)
	}
	return fmt.Sprintf("%s%s (missing in item %d)", first, showValue(fr.Value), fr.Missing+1)
}

// verdict says whether the page yields records with the whole spec.
func verdict(w io.Writer, records int, err error) {
	if err != nil {
		fmt.Fprintf(w, "records:  none; a run would fail this page: %v\n", err)
		return
	}
	fmt.Fprintf(w, "records:  %d\n", records)
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
