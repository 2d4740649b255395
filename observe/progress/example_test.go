package progress_test

import (
	"fmt"
	"time"

	"github.com/sluicehq/sluice/observe/progress"
	"github.com/sluicehq/sluice/pipeline"
)

func ExampleLine() {
	stats := []pipeline.StageStats{
		{Name: "read", Kind: "source", Emitted: 300, Out: 300},
		{Name: "fetch", Kind: "map", In: 300, Out: 250, Failed: 10, InFlight: 8},
		{Name: "write", Kind: "sink", In: 250, Out: 200},
	}
	fmt.Println(progress.Line(stats, 4*time.Second, 1000))
	// Output:
	// 4s | read 300/1000 | fetch 260 (10 failed) [8 busy] | write 200 | 50.0/s | eta 16s
}
