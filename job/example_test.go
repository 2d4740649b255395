package job_test

import (
	"fmt"

	"github.com/sluicehq/sluice/job"
)

func ExampleDecode() {
	src := []byte(`source: {kind: csv, path: urls.csv}
fetch:
  workres: 8
parse:
  html: {fields: [{name: title, selector: h1}]}
sink: {path: out.db}
`)
	_, err := job.Decode("job.yaml", src, job.Options{})
	fmt.Println(err)

	src = []byte(`source: {kind: csv, path: urls.csv}
parse:
  html: {fields: [{name: title, selector: h1}]}
sink: {kind: postgres, dsn: "${PG_DSN}"}
`)
	env := map[string]string{"PG_DSN": "postgres://localhost/shop"}
	j, err := job.Decode("job.yaml", src, job.Options{Lookup: func(k string) (string, bool) { v, ok := env[k]; return v, ok }})
	fmt.Println(j.Sink.Kind, j.Sink.DSN, err)
	// Output:
	// job.yaml:3:3: unknown key "workres" in fetch; did you mean "workers"?
	// postgres postgres://localhost/shop <nil>
}
