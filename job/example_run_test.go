package job_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/sluicehq/sluice/job"
	"github.com/sluicehq/sluice/testsite"
)

// Run a YAML job from Go exactly as `sluice run job.yaml` does: resume,
// checkpoint, dead letters and failure budget included.
func ExampleRun() {
	dir, site := exampleJob() // a job.yaml over five pages of a local test shop
	defer site.Close()
	defer os.RemoveAll(dir)

	j, err := job.Load(filepath.Join(dir, "job.yaml"), job.Options{})
	if err != nil {
		log.Fatal(err)
	}
	rep, err := job.Run(context.Background(), j, job.RunOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rep.Outcome, rep.Done, "inputs,", rep.Failed, "failed,", rep.Written, "records")
	// Output: complete 5 inputs, 0 failed, 5 records
}

// exampleJob writes a job over five pages of a test shop into a new
// directory.
func exampleJob() (string, *testsite.Server) {
	site, err := testsite.Start(testsite.Config{Pages: 5})
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "sluice-example")
	if err != nil {
		log.Fatal(err)
	}
	var urls strings.Builder
	for i := range site.Pages() {
		fmt.Fprintln(&urls, site.PageURL(i))
	}
	yaml := `source: {kind: lines, path: urls.txt}
parse:
  html: {fields: [{name: title, selector: h1.title, required: true}]}
sink: {path: out.jsonl}
`
	if err := os.WriteFile(filepath.Join(dir, "urls.txt"), []byte(urls.String()), 0o644); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "job.yaml"), []byte(yaml), 0o644); err != nil {
		log.Fatal(err)
	}
	return dir, site
}
