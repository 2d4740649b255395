package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/sluicehq/sluice/stages/extract"
)

const replHelp = `  NAME=SELECTOR[@ATTR][|OPTION...]   try a field (options as for --field)
  SELECTOR[@ATTR][|OPTION...]        try a field named "value"
  :find TEXT                         elements holding TEXT, with selectors
  :items [SELECTOR]                  set the items selector (none: clear it)
  :fields                            the --field fields again
  :quit                              leave (so does end of input)`

// repl reads commands from in and tries each on the page, until :quit or
// the end of input.
func (t *tryer) repl(in io.Reader) error {
	fmt.Fprintln(t.out, "type a selector or NAME=SELECTOR to try it, :help for more, :quit to leave")
	orig := t.spec
	sc := bufio.NewScanner(in)
	sc.Buffer(nil, 1<<20)
	for {
		fmt.Fprint(t.out, "try> ")
		if !sc.Scan() {
			fmt.Fprintln(t.out)
			return sc.Err()
		}
		line := strings.TrimSpace(sc.Text())
		cmd, arg, _ := strings.Cut(line, " ")
		arg = strings.TrimSpace(arg)
		switch {
		case line == "":
		case cmd == ":quit" || cmd == ":q" || cmd == ":exit":
			return nil
		case cmd == ":help":
			fmt.Fprintln(t.out, replHelp)
		case cmd == ":find" && arg != "":
			t.findText(arg)
		case cmd == ":items":
			t.setItems(arg)
		case cmd == ":fields":
			items := t.spec.htmlItems()
			t.spec = orig
			t.setItems(items)
			t.fields()
		case strings.HasPrefix(line, ":"):
			fmt.Fprintf(t.out, "unknown command %s; :help lists them\n", cmd)
		default:
			t.tryLine(line)
		}
	}
}

// setItems replaces the items selector (or path) of the spec.
func (t *tryer) setItems(items string) {
	if t.spec.json != nil {
		js := *t.spec.json
		js.Items = items
		t.spec.json = &js
		return
	}
	hs := *t.spec.html
	hs.Items = items
	if err := checkSpec(trySpec{html: &extract.HTMLSpec{Items: items}}); err != nil {
		fmt.Fprintln(t.out, "error:", err)
		return
	}
	t.spec.html = &hs
	if items != "" {
		n, _ := t.page.insp.Count(items)
		fmt.Fprintf(t.out, "items:    %s  %s\n", items, plural(n, "match", "matches"))
	}
}

// tryLine tries one field typed at the prompt.
func (t *tryer) tryLine(line string) {
	if name, _, ok := strings.Cut(line, "="); !ok || !isFieldName(name) {
		line = "value=" + line // a bare selector: its '=' are its own
	}
	one := t.spec
	if one.json != nil {
		f, err := jsonField(line)
		if err != nil {
			fmt.Fprintln(t.out, "error:", strings.TrimPrefix(err.Error(), "invalid --field "))
			return
		}
		js := *one.json
		js.Fields = []extract.JSONField{f}
		one.json = &js
	} else {
		f, err := htmlField(line)
		if err != nil {
			fmt.Fprintln(t.out, "error:", strings.TrimPrefix(err.Error(), "invalid --field "))
			return
		}
		hs := *one.html
		hs.Fields = []extract.Field{f}
		one.html = &hs
	}
	if err := checkSpec(one); err != nil {
		fmt.Fprintln(t.out, "error:", err)
		return
	}
	saved := t.spec
	t.spec = one
	t.fields()
	t.spec = saved
}

// isFieldName reports whether s reads as a field name at the prompt:
// letters, digits, '-', '_' and non-ASCII. Otherwise its '=' belongs to
// a selector.
func isFieldName(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return r < utf8.RuneSelf && r != '_' && r != '-' && !('0' <= r && r <= '9') && !('a' <= r|0x20 && r|0x20 <= 'z')
	})
}
