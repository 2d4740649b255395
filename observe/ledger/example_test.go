package ledger_test

import (
	"fmt"
	"os"
	"time"

	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/observe/ledger"
	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/stages/fetch"
)

func ExampleWrite() {
	var fs ledger.Failures
	for _, u := range []string{"http://shop/a", "http://shop/b"} {
		err := &fetch.StatusError{Code: 404, URL: u}
		fs.Add(&observe.Failure{Stage: "fetch", Reason: ledger.Reason(err), Host: "shop", Status: 404, URL: u, Err: err})
	}
	stats := []pipeline.StageStats{
		{Name: "read", Kind: "source", Workers: 1, Out: 10, Emitted: 10},
		{Name: "fetch", Kind: "map", Workers: 8, In: 10, Out: 8, Failed: 2},
		{Name: "write", Kind: "sink", Workers: 1, In: 8, Out: 8},
	}
	sum := ledger.Summary{Elapsed: 2 * time.Second, Inputs: 10, Done: 10, Failed: 2, Extracted: 8, Written: 8}
	ledger.Write(os.Stdout, stats, sum, fs.Top(5))
	// Output:
	// stage  kind    workers  in  out  filtered  failed  dropped  busy
	// read   source  1        0   10   0         0       0        0s
	// fetch  map     8        10  8    0         2       0        0s
	// write  sink    1        8   8    0         0       0        0s
	//
	// inputs 10 read, 10 finished (2 failed); records 8 extracted, 8 written
	// elapsed 2s, 5.0 inputs/s
	//
	// top failure reasons:
	//   2  fetch  HTTP 404 Not Found  shop  e.g. http://shop/a
}

func ExampleMemoryAgainst() {
	fmt.Println(ledger.MemoryAgainst(35<<20+300<<10, 256<<20))
	fmt.Println(ledger.MemoryAgainst(41<<20, 40<<20))
	// Output:
	// 35.3 MiB of the 256 MiB budget
	// 41 MiB of the 40 MiB budget (over it)
}
