package dist

import (
	"fmt"

	"github.com/goccy/go-yaml"

	"github.com/sluicehq/sluice/job"
)

// EncodeJob re-encodes a validated job as YAML for the jobs bucket, for
// jobs that were not read from a file (sluice scrape). Values are stored
// as resolved: a ${VAR} secret in a DSN is stored in the clear, so pass
// the file's own bytes to Enqueue when you have them. Kind options of
// custom kinds (SourceSpec.Options and the like) are not encoded.
func EncodeJob(j *job.Job) ([]byte, error) {
	data, err := yaml.MarshalWithOptions(j, yaml.OmitEmpty())
	if err != nil {
		return nil, fmt.Errorf("dist: encode job %q: %w", j.Name, err)
	}
	return data, nil
}
