// Package bench measures the sluice command end to end against a
// hand-written net/http + goquery worker pool doing the same work: fetch
// 20,000 pages of ~30 KB from testsite at 0 ms latency, extract
// three fields, write JSON Lines. Both run as child processes, so their CPU
// time (user + system) and peak RSS are measured the same way, from the
// kernel's rusage; the test site runs in the benchmark process and its CPU
// is counted for neither.
//
//	go test ./bench -run '^$' -bench EndToEnd -benchtime 1x -count 3
//	SLUICE_BENCH=1 go test ./bench -run TestBudget -v   # asserts the budget
package bench
