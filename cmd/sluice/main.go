// Command sluice runs fetch-and-scrape pipelines: from a YAML job file
// (sluice run), from flags (sluice scrape), or as an offline demo against
// a built-in test site (sluice demo).
//
// Exit codes: 0 done; 1 fatal error or --max-failures exceeded; 2 usage or
// job-file error; 130 interrupted (resume with --resume).
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, os.LookupEnv))
}
