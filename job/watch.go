package job

import (
	"fmt"
	"strings"
	"sync"

	"github.com/sluicehq/sluice/record"
)

// watchPages is how many first pages a field may match nothing on before
// the run warns about it.
const watchPages = 20

// fieldWatch notices a field (or the items selector) that matches
// nothing on the first pages of a run — almost always a wrong selector —
// and warns once, naming the field and a page it missed on. It looks only
// at the first watchPages pages, so it costs nothing after.
type fieldWatch struct {
	mu     sync.Mutex
	fields []string
	items  string // the items selector, "" when a page is one record
	what   string // what picks a field: "selector" (HTML), "path" (JSON)
	pages  int
	hit    map[string]bool
	missed map[string]string // field → the first page it missed on
	warned bool
	warn   func(msg, url string)
}

func newFieldWatch(j *Job, warn func(msg, url string)) *fieldWatch {
	w := &fieldWatch{hit: map[string]bool{}, missed: map[string]string{}, warn: warn, what: "selector"}
	switch {
	case j.Parse.HTML != nil:
		w.items = j.Parse.HTML.Items
		for _, f := range j.Parse.HTML.Fields {
			w.fields = append(w.fields, f.Name)
		}
	case j.Parse.JSON != nil:
		w.items, w.what = j.Parse.JSON.Items, "path"
		for _, f := range j.Parse.JSON.Fields {
			w.fields = append(w.fields, f.Name)
		}
	}
	return w
}

// page records the records extracted from one page.
func (w *fieldWatch) page(url string, recs []record.Record) {
	if w == nil || w.warn == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.warned || w.pages >= watchPages {
		return
	}
	w.pages++
	if w.items != "" && len(recs) > 0 {
		w.hit["\x00items"] = true
	} else if w.items != "" {
		w.miss("\x00items", url)
	}
	for _, name := range w.fields {
		found := false
		for i := range recs {
			if v, ok := recs[i].Get(name); ok && !empty(v) {
				found = true
				break
			}
		}
		if found {
			w.hit[name] = true
		} else if len(recs) > 0 || w.items == "" {
			w.miss(name, url)
		}
	}
	if w.pages == watchPages {
		w.report()
	}
}

func (w *fieldWatch) miss(name, url string) {
	if _, ok := w.missed[name]; !ok {
		w.missed[name] = url
	}
}

// finish warns for a run that ended before watchPages pages.
func (w *fieldWatch) finish() {
	if w == nil || w.warn == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.warned && w.pages > 0 {
		w.report()
	}
}

// report warns for every field that matched on none of the pages seen.
func (w *fieldWatch) report() {
	w.warned = true
	if w.items != "" && !w.hit["\x00items"] {
		w.warn(fmt.Sprintf("items %s %q matched nothing on the first %d pages: every page gives no records", w.what, w.items, w.pages), w.missed["\x00items"])
		return
	}
	var none []string
	for _, name := range w.fields {
		if !w.hit[name] {
			none = append(none, name)
		}
	}
	for _, name := range none {
		w.warn(fmt.Sprintf("field %q matched nothing on the first %d pages: its column will be empty (check its %s)", name, w.pages, w.what), w.missed[name])
	}
}

// empty reports whether a field value is what a missing field gives.
func empty(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(v) == ""
	case []string:
		return len(v) == 0
	case []any:
		return len(v) == 0
	case bool:
		return !v
	case int64:
		return v == 0
	case float64:
		return v == 0
	}
	return false
}
