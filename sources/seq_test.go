package sources

import (
	"errors"
	"reflect"
	"testing"

	"github.com/sluicehq/sluice/pipeline"
)

func TestURLs(t *testing.T) {
	got, fails, err := runSource(t, func(p *pipeline.Pipeline) pipeline.Stream[Item] {
		return URLs(p, "urls", []string{"https://a.example/", "not a url", " https://b.example/ "})
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []Item{{Key: "https://a.example/", URL: "https://a.example/", Line: 1}, {Key: "https://b.example/", URL: "https://b.example/", Line: 3}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v", got)
	}
	if len(fails) != 1 || failLine(fails[0]) != 2 || !errors.Is(fails[0].Err, ErrInvalidURL) || fails[0].Input != "not a url" {
		t.Fatalf("fails %v", fails)
	}
}

func TestItemFields(t *testing.T) {
	it := Item{Key: "k", URL: "https://a.example/", Columns: []string{"url", "Name"}, Values: []string{"https://a.example/", "x"}}
	if m := it.Fields(); !reflect.DeepEqual(m, map[string]string{"url": "https://a.example/", "Name": "x"}) {
		t.Fatalf("fields %+v", m)
	}
	if v, ok := it.Field("name"); !ok || v != "x" {
		t.Fatalf("Field(name) = %q %v", v, ok)
	}
	if _, ok := it.Field("missing"); ok {
		t.Fatal("Field(missing) found")
	}
	if (Item{URL: "u"}).Fields() != nil {
		t.Fatal("fields for an item without columns")
	}
}
