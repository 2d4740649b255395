package job

import (
	"fmt"
	"strconv"
	"strings"
)

// MinSample is how many inputs must have finished before a percentage
// limit is checked during a run, so that the first failure of a run is not
// 100%.
const MinSample = 100

// MaxFailures is a failure budget: a count or a percentage of finished
// inputs. The zero value is no limit.
type MaxFailures struct {
	// Count is the largest number of failures allowed; used when Percent
	// is 0 and Count > 0.
	Count int64
	// Percent is the largest failure rate allowed, in percent (0, 100].
	Percent float64
}

// DefaultMaxFailures is the failure budget of a job that sets none: a
// run in which more than half of the finished inputs failed — nothing
// succeeded, a site blocks us, the selectors are wrong — is a failed run
// (exit 1), never one that looks fine. "none" turns the budget off.
var DefaultMaxFailures = MaxFailures{Percent: 50}

// ParseMaxFailures parses "N" (failures), "P%" (percent of finished
// inputs) or "none" (no limit). An empty string is no limit; a job that
// sets none gets DefaultMaxFailures.
func ParseMaxFailures(s string) (MaxFailures, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "none") {
		return MaxFailures{}, nil
	}
	if num, ok := strings.CutSuffix(s, "%"); ok {
		p, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
		if err != nil || p <= 0 || p > 100 {
			return MaxFailures{}, fmt.Errorf("job: invalid max failures %q: want a count such as 50 or a percentage in (0, 100] such as 5%%", s)
		}
		return MaxFailures{Percent: p}, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return MaxFailures{}, fmt.Errorf("job: invalid max failures %q: want a count such as 50 or a percentage such as 5%%", s)
	}
	return MaxFailures{Count: n}, nil
}

// IsZero reports whether there is no limit.
func (m MaxFailures) IsZero() bool { return m.Count == 0 && m.Percent == 0 }

// String returns the limit as written.
func (m MaxFailures) String() string {
	if m.Percent > 0 {
		return strconv.FormatFloat(m.Percent, 'g', -1, 64) + "%"
	}
	return strconv.FormatInt(m.Count, 10)
}

// Exceeded reports whether failed out of done finished inputs breaks the
// limit. With final false (during the run) a percentage is only checked
// once MinSample inputs have finished.
func (m MaxFailures) Exceeded(failed, done int64, final bool) bool {
	switch {
	case m.Percent > 0:
		if done == 0 || (!final && done < MinSample) {
			return false
		}
		return float64(failed)*100 > m.Percent*float64(done)
	case m.Count > 0:
		return failed > m.Count
	}
	return false
}
