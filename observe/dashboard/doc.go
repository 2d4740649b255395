// Package dashboard is a live web dashboard of a sluice run: an
// observe.Observer that aggregates the run's events, and an http.Handler
// serving one embedded page (plain HTML, CSS and JavaScript, no network
// access) that follows the run over Server-Sent Events.
//
// The page shows the stage graph with each stage's in, out, failed,
// in-flight items, busy ratio and the queue in front of it, with the
// bottleneck marked; records per second per stage and fetch latency
// (p50, p95) over time; a per-host table; failures grouped by reason with
// sample URLs; the ledger and an ETA.
//
// # Bottleneck
//
// A stage's busy ratio over an interval is the time its workers spent in
// the stage's own code divided by workers × interval (1 means every
// worker was busy all the time; time blocked sending downstream does not
// count). The bottleneck is the stage with the highest busy ratio over
// the last interval, a tie (within 0.05) going to the longer queue in
// front of it; no stage is marked while every ratio is below 0.05. A
// stage that reports no busy time is rated by in-flight ÷ workers
// instead. After the run, the bottleneck is the stage with the highest
// busy ratio over the whole run.
//
// # Cost to the run
//
// Observe only updates counters under a mutex; it runs on the observer's
// own goroutine, which the run never waits for (see package observe).
// The page's state is encoded as JSON at most once per Interval and only
// while a browser is connected. Each connected browser has its own
// goroutine (net/http's) that, when it is ready to write, takes the
// newest frame: a slow browser misses frames, it never holds anything
// up.
//
// # Lifetime
//
// A browser that connects, or reconnects, mid-run first gets the whole
// current state. After RunFinished the final state stays on the page for
// as long as the handler is served; Close ends the open event streams so
// that an http.Server can shut down.
package dashboard
