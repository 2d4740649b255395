package job

import (
	"net/http"
	"runtime"

	"github.com/sluicehq/sluice/stages/fetch"
)

// DefaultFetchWorkers is the fetch concurrency when the job sets none:
// fetch.DefaultWorkers, the one default of sluice.
const DefaultFetchWorkers = fetch.DefaultWorkers

// FetchConfig returns the fetch.Config the job describes.
func (j *Job) FetchConfig() (fetch.Config, error) {
	f := j.Fetch
	cfg := fetch.Config{
		UserAgent:          f.UserAgent,
		Workers:            j.FetchWorkers(),
		Timeout:            f.Timeout,
		Retries:            f.Retries,
		BackoffBase:        f.Backoff,
		PerHostConcurrency: f.PerHostConcurrency,
		PerHostRate:        f.PerHostRate,
		IgnoreRobots:       f.IgnoreRobots,
		MaxBodySize:        f.MaxBodyBytes,
		NetHTTP:            f.NetHTTP,
	}
	if len(f.Headers) > 0 {
		cfg.Header = http.Header{}
		for k, v := range f.Headers {
			cfg.Header.Set(k, v)
		}
	}
	return cfg, cfg.Validate()
}

// FetchWorkers is the fetch stage's concurrency.
func (j *Job) FetchWorkers() int {
	if j.Fetch.Workers > 0 {
		return j.Fetch.Workers
	}
	return DefaultFetchWorkers
}

// ParseWorkers is the parse stage's concurrency.
func (j *Job) ParseWorkers() int {
	if j.Parse.Workers > 0 {
		return j.Parse.Workers
	}
	return runtime.NumCPU()
}

// Limit is the job's failure budget from max_failures.
func (j *Job) Limit() MaxFailures { return j.limit }
