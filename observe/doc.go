// Package observe is the event stream of a sluice run: typed events
// (run started and finished, stage snapshots, fetch outcomes, failures,
// and the keys each commit made durable) and the Hub that delivers them
// to Observers without ever slowing the data path.
//
// Everything that watches a run is an Observer of this one stream: the
// ledger, the progress display (package observe/progress), the Prometheus
// metrics (observe/metrics), the web dashboard (observe/dashboard), and
// a user's own code. job.Run publishes the events; pass observers in
// job.RunOptions.Observers.
//
// Delivery: each observer has its own goroutine and mailbox. Publishing
// never blocks: stage snapshots are coalesced to the latest, and an
// observer more than QueueSize events behind misses the newer ones (the
// count is in its RunFinished.Dropped); at the end of a run it has
// CloseGrace to catch up. RunFinished is always delivered, last.
package observe
