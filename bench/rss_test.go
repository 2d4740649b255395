package bench

import (
	"os"
	"strconv"
	"strings"
	"time"
)

// The kernel's rusage for a child (ru_maxrss) cannot be trusted for peak
// RSS on Linux: the child's maximum starts at the parent's resident set
// at the fork, and exec keeps it, so every child of this benchmark (which
// runs the test site) reports at least the benchmark's own RSS. The peak
// is read instead from the child's VmHWM, the high-water mark of its own
// address space, sampled until it exits.

// hwmSampler samples a process's VmHWM every few milliseconds.
type hwmSampler struct {
	stop chan struct{}
	done chan int64
}

func sampleHWM(pid int) *hwmSampler {
	s := &hwmSampler{stop: make(chan struct{}), done: make(chan int64, 1)}
	go func() {
		path := "/proc/" + strconv.Itoa(pid) + "/status"
		var peak int64
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			peak = max(peak, readHWM(path))
			select {
			case <-s.stop:
				s.done <- peak
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// end stops sampling (call it once the process has exited) and returns
// the highest VmHWM seen, in bytes (0 where there is no /proc).
func (s *hwmSampler) end() int64 {
	close(s.stop)
	return <-s.done
}

func readHWM(path string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kib, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kib << 10
		}
	}
	return 0
}
