package job

import (
	"fmt"
	"strconv"
	"strings"
)

// DefaultMemory is the memory budget of a job that sets none: 256 MiB.
const DefaultMemory int64 = 256 << 20

// minMemory is the smallest memory budget accepted: 16 MiB.
const minMemory int64 = 16 << 20

// memoryUnits are the units ParseMemory accepts, longest first.
var memoryUnits = []struct {
	suffix string
	scale  int64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9},
	{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1},
}

// ParseMemory parses a memory budget: a number of bytes with an optional
// unit, such as "256MiB", "1GiB", "512M" (K, M, G are binary, like KiB,
// MiB, GiB; KB, MB, GB are decimal). Empty means DefaultMemory; less than
// 16 MiB is an error.
func ParseMemory(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return DefaultMemory, nil
	}
	num, scale := s, int64(1)
	for _, u := range memoryUnits {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			num, scale = strings.TrimSpace(n), u.scale
			break
		}
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v < 0 || v*float64(scale) > 1<<62 {
		return 0, fmt.Errorf("job: invalid memory %q: want a size such as 256MiB or 2GiB", s)
	}
	n := int64(v * float64(scale))
	if n < minMemory {
		return 0, fmt.Errorf("job: memory %q is below the minimum of 16MiB", s)
	}
	return n, nil
}

// MemoryBytes is the job's memory budget in bytes (see Job.Memory).
func (j *Job) MemoryBytes() int64 {
	n, err := ParseMemory(j.Memory)
	if err != nil {
		return DefaultMemory
	}
	return n
}

// BodyBudget is the part of the memory budget that response bodies
// fetched and not yet parsed may hold at once: an eighth, because a page
// parsed into a whole document costs up to about eight times its size.
func (j *Job) BodyBudget() int64 { return j.MemoryBytes() / 8 }
