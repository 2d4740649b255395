// Package metrics exposes a running sluice job to Prometheus, in the text
// exposition format, through github.com/VictoriaMetrics/metrics:
//
//   - sluice_stage_items_total{stage,result}: items a stage took in
//     (result="in") and what became of them (out, filtered, failed,
//     dropped);
//   - sluice_stage_in_flight{stage}: items a stage is working on now;
//   - sluice_stage_busy_seconds_total{stage}: time its workers spent in
//     user code;
//   - sluice_fetch_duration_seconds: a histogram of the time to fetch one
//     input, retries and politeness waits included;
//   - sluice_fetch_responses_total{code}: fetches by final HTTP status
//     ("error" when there was no response);
//   - sluice_fetch_retries_total: attempts beyond the first;
//   - the Go runtime's and the process's metrics (go_*, process_*).
//
// Stage metrics are read from the latest stage snapshot at scrape time,
// so the hot path pays nothing for them. The library was chosen over the
// Prometheus client because the client's protobuf descriptors reach
// reflect.Value.MethodByName, which turns off the linker's dead-code
// elimination of methods for the whole sluice binary: 3.3 MB more binary
// and about 1.9 MB more RSS in every run, metrics on or off.
package metrics
