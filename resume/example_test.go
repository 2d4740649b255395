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

// A run that asks Done only about what earlier runs finished need not
// hold the keys it commits itself: they are logged, and the next Open
// loads them.
func ExampleOpenWith() {
	dir, _ := os.MkdirTemp("", "resume-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "job.checkpoint")
	first, err := resume.Open(path)
	if err != nil {
		panic(err)
	}
	r, _ := first.Prepare([]string{"a"}, nil)
	_ = first.Commit(r)
	first.Close()

	next, err := resume.OpenWith(path, resume.Options{EarlierOnly: true})
	if err != nil {
		panic(err)
	}
	defer next.Close()
	r, _ = next.Prepare([]string{"b"}, nil)
	_ = next.Commit(r)
	fmt.Println(next.Done("a"), next.Done("b"), next.Len())
	// Output: true false 2
}
