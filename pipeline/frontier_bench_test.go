package pipeline_test

import (
	"testing"

	"github.com/sluicehq/sluice/pipeline"
)

// countQueue accepts every item and keeps none.
type countQueue struct{ n int }

func (q *countQueue) Push(int) (bool, error)  { q.n++; return true, nil }
func (q *countQueue) Pop() (int, bool, error) { return 0, false, nil }
func (q *countQueue) Len() int                { return 0 }

// BenchmarkFrontierDiscover hands the frontier 12 items per op, as a
// page hands over its links, from parallel goroutines: one Discover call
// each, or one DiscoverAll call. The frontier does not run; the queue
// keeps nothing.
//
//	go test -run '^$' -bench FrontierDiscover -count 6 ./pipeline
func BenchmarkFrontierDiscover(b *testing.B) {
	for _, all := range []bool{false, true} {
		name := "each"
		if all {
			name = "all"
		}
		b.Run(name, func(b *testing.B) {
			p := pipeline.New()
			fr := pipeline.NewFrontier(p, "frontier", pipeline.FromSlice(p, "seeds", []int{}), &countQueue{})
			b.RunParallel(func(pb *testing.PB) {
				links := make([]int, 12)
				for pb.Next() {
					if err := discover(fr, links, all); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
