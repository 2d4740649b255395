package resume_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/sluicehq/sluice/resume"
)

// A checkpoint records keys once the sinks committed them; a reopened one
// reports them done. sinks.Committer drives Prepare and Commit for you.
func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "resume-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "checkpoint")

	ckpt, _ := resume.Open(path)
	round, _ := ckpt.Prepare([]string{"https://a.test/1", "https://a.test/2"}, map[string]int64{"jsonl:out.jsonl": 120})
	// ... the SQL sinks commit here ...
	ckpt.Commit(round)
	ckpt.Close()

	ckpt, _ = resume.Open(path)
	defer ckpt.Close()
	fmt.Println(ckpt.Done("https://a.test/1"), ckpt.Done("https://a.test/3"))
	fmt.Println(ckpt.Offset("jsonl:out.jsonl"))
	// Output:
	// true false
	// 120 true
}
