package filter_test

import (
	"context"
	"fmt"

	"github.com/goccy/go-yaml"
	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/stages/filter"
)

func ExampleNew() {
	var specs []filter.Spec
	_ = yaml.Unmarshal([]byte(`
- {field: price, op: ">", value: 10}
- {field: title, match: "^A"}
`), &specs)
	f, err := filter.New(specs...)
	if err != nil {
		panic(err)
	}
	for _, r := range []record.Record{
		{Key: "1", Fields: []record.Field{{Name: "title", Value: "Axe"}, {Name: "price", Value: 25.0}}},
		{Key: "2", Fields: []record.Field{{Name: "title", Value: "Awl"}, {Name: "price", Value: 4.5}}},
		{Key: "3", Fields: []record.Field{{Name: "title", Value: "Saw"}, {Name: "price", Value: int64(30)}}},
	} {
		keep, _ := f.Keep(context.Background(), r)
		fmt.Println(r.Key, keep)
	}
	_, err = filter.New(filter.Spec{Field: "title", Match: "(["})
	fmt.Println(err)
	// Output:
	// 1 true
	// 2 false
	// 3 false
	// filter: spec 0 (field "title"): invalid match regex: error parsing regexp: missing closing ]: `[`
}

func ExampleNormalizeURL() {
	for _, raw := range []string{
		"HTTP://Shop.Example:80/a/./b?z=1&a=2#reviews",
		"http://shop.example/a/b?a=2&z=1&utm_source=mail",
	} {
		s, _ := filter.NormalizeURL(raw, filter.SortQuery(), filter.DropParams("utm_source"))
		fmt.Println(s)
	}
	// Output:
	// http://shop.example/a/b?a=2&z=1
	// http://shop.example/a/b?a=2&z=1
}

// Example drops repeated URLs in a pipeline, normalised for the key.
func Example() {
	urls := []string{"https://a.example/x", "https://A.example:443/x#top", "https://a.example/y", "https://a.example/x"}
	dedupe := filter.NewDedupe(filter.NormalizedKey(func(s string) string { return s }, filter.NewURLNormalizer()), 1<<20)

	p := pipeline.New()
	in := pipeline.FromSeq(p, "urls", func(yield func(string) bool) {
		for _, u := range urls {
			if !yield(u) {
				return
			}
		}
	})
	out := pipeline.Filter(p, "dedupe", in, dedupe.Keep)
	pipeline.Sink(p, "print", out, pipeline.WriterFunc[string](func(_ context.Context, u string) error {
		fmt.Println(u)
		return nil
	}))
	if err := p.Run(context.Background()); err != nil {
		panic(err)
	}
	fmt.Printf("%+v\n", dedupe.Stats())
	// Output:
	// https://a.example/x
	// https://a.example/y
	// {Kept:2 Dropped:2 Evicted:0 Size:2}
}
