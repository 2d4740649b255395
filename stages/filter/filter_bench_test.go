package filter_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/stages/filter"
)

// BenchmarkFilter compares a compiled spec with the same predicate written
// in Go: price > 10 and title matching ^A.
func BenchmarkFilter(b *testing.B) {
	recs := []record.Record{
		rec("title", "Axe", "price", 25.0, "sku", "A1"),
		rec("title", "Saw", "price", 30.0, "sku", "S1"),
		rec("title", "Awl", "price", 4.5, "sku", "A2"),
	}
	b.Run("handwritten", func(b *testing.B) {
		re := regexp.MustCompile("^A")
		keep := func(r record.Record) bool {
			p, _ := r.Get("price")
			f, ok := p.(float64)
			if !ok || f <= 10 {
				return false
			}
			t, _ := r.Get("title")
			s, ok := t.(string)
			return ok && re.MatchString(s)
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			keep(recs[i%3])
			i++
		}
	})
	b.Run("sluice", func(b *testing.B) {
		f, err := filter.New(filter.Spec{Field: "price", Op: ">", Value: 10}, filter.Spec{Field: "title", Match: "^A"})
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			_, _ = f.Keep(ctx, recs[i%3])
			i++
		}
	})
}
