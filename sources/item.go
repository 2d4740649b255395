package sources

import "strings"

// Item is one input row: the URL to fetch, its stable key and where it came
// from. Every source in this package emits Items, so a program can switch
// sources by name.
//
// The row's other values are held as two parallel slices rather than a map
// so that a source does not build a map per row; Columns is shared by every
// item of a source and must not be modified.
type Item struct {
	// Key is the stable key of the row, used by resume and dedupe (see the
	// package documentation).
	Key string
	// URL is the validated URL, with surrounding white space removed.
	URL string
	// Line is the 1-based line the row starts on in its input (for
	// sitemaps, the line of the <url> element; for in-memory sources, the
	// 1-based position).
	Line int
	// Columns names the values: the CSV header, or for sitemaps
	// "lastmod", "changefreq", "priority" and "sitemap". Shared; read only.
	Columns []string
	// Values holds one value per column; a ragged CSV row, kept with a
	// [Warning], holds its fields as read, fewer or more.
	Values []string
}

// Field returns the value of the named column (compared without regard to
// case) and whether the item has that column.
func (it Item) Field(name string) (string, bool) {
	for i, c := range it.Columns {
		if i < len(it.Values) && strings.EqualFold(c, name) {
			return it.Values[i], true
		}
	}
	return "", false
}

// Fields returns the row as a new map from column name to value, or nil
// when the item has no columns.
func (it Item) Fields() map[string]string {
	if len(it.Columns) == 0 {
		return nil
	}
	m := make(map[string]string, len(it.Columns))
	for i, c := range it.Columns {
		if i < len(it.Values) {
			m[c] = it.Values[i]
		}
	}
	return m
}
