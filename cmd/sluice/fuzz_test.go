package main

import (
	"strings"
	"testing"
)

// FuzzHTMLField: a --field value either parses to a named field whose
// selector and attribute come from the text, or is an error.
func FuzzHTMLField(f *testing.F) {
	for _, s := range []string{"title=h1", "price=div.price@data-amount", "=h1", "a", "x=@href", "e=a[href$='@x']@title"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fl, err := htmlField(s)
		if err != nil {
			return
		}
		if fl.Name == "" || strings.Contains(fl.Name, "=") || !strings.HasPrefix(s, fl.Name+"="+fl.Selector) {
			t.Fatalf("%q → %+v", s, fl)
		}
	})
}
