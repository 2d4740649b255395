// Package bench measures the sluice command end to end against a
// hand-written net/http + goquery worker pool doing the same work: fetch
// pages of ~30 KB from testsite, extract three fields, write JSON Lines.
// Both run as child processes, alternately, so their CPU time (user +
// system, from the kernel's rusage) and peak RSS (VmHWM, see rss_test.go)
// are measured the same way under the same load; the test site runs in
// the benchmark process and its CPU is counted for neither. The scenarios
// are issue #16's targets:
//
//	BenchmarkEndToEnd      20,000 pages, no latency, 100 concurrent: requests per CPU-second, ≥ 2.0× the pool
//	BenchmarkLatencyBound  10,000 pages, 50 ms, 200 concurrent: wall ≤ 1.05× N·latency/C, RSS ≤ 40 MiB
//	BenchmarkSmallRun       1,000 pages, 16 ms, 100 concurrent: wall ≤ 1.6× N·latency/C
//	BenchmarkCSVToSQLiteRSS 1M vs 100k CSV rows into SQLite: RSS ratio ≤ 1.2
//
//	go test ./bench -run '^$' -bench 'EndToEnd$|LatencyBound|SmallRun' -benchtime 1x -count 3
//	go test ./bench -run '^$' -bench CSVToSQLiteRSS -benchtime 1x
//	SLUICE_BENCH=1 go test ./bench -run TestBudget -v   # asserts the budget
package bench
