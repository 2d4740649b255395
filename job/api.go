package job

import "github.com/sluicehq/sluice/observe"

// Observer sees a run's events; it is observe.Observer, named here so a
// program that runs jobs finds it next to Run. See package observe for
// the events and the delivery guarantees.
type Observer = observe.Observer

// Parse decodes and validates a job from YAML text, as Load does for a
// file; relative paths are taken against opts.Dir (default the current
// directory).
func Parse(data []byte, opts Options) (*Job, error) {
	return Decode("job.yaml", data, opts)
}

// Validate checks a job built in Go (a Job literal, say) as Decode checks
// a file: required sections, kinds, selectors, filters, the sink, the
// failure budget; it compiles the parser and fills in defaults. A job
// from Load, Parse or Decode is already valid.
func (j *Job) Validate() error {
	if j.reg == nil {
		j.reg = DefaultRegistry()
	}
	if j.file == "" {
		j.file = "job"
	}
	if j.pos == nil {
		j.pos = positions{"source": {}, "sink": {}}
	}
	return j.validate("")
}

// Suggest returns the candidate closest to word (a misspelt key, column,
// flag or kind), or "" when none is close enough to suggest.
func Suggest(word string, candidates []string) string { return suggest(word, candidates) }
