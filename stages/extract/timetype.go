package extract

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// TypeTime is a time.Time parsed as RFC 3339 ("2006-01-02T15:04:05Z07:00",
// fractional seconds accepted). A field can give its own layout as
// "time:LAYOUT", with LAYOUT a Go reference layout such as
// "time:02/01/2006 15:04" or one of the names in [TimeLayouts]:
//
//   - {name: published, selector: time, attr: datetime, type: time}
//   - {name: day, selector: .date, type: "time:2006-01-02"}
//   - {name: seen, selector: .ts, type: "time:unix"}
//
// A time without a zone is UTC. A missing time field without a default is
// nil, not the zero time.
const TypeTime Type = "time"

// TimeLayouts are the named layouts a "time:NAME" type may use besides a
// Go layout. "unix" reads seconds (with an optional fraction) since 1970.
var TimeLayouts = map[string]string{
	"rfc3339":  time.RFC3339,
	"rfc1123":  time.RFC1123,
	"rfc1123z": time.RFC1123Z,
	"rfc822":   time.RFC822,
	"date":     time.DateOnly,
	"datetime": time.DateTime,
	"unix":     "unix",
}

// isTimeType reports whether t is TypeTime or "time:LAYOUT".
func isTimeType(t Type) bool {
	return t == TypeTime || strings.HasPrefix(string(t), string(TypeTime)+":")
}

// timeLayout returns the layout of a time type.
func timeLayout(t Type) string {
	l, ok := strings.CutPrefix(string(t), string(TypeTime)+":")
	if !ok || l == "" {
		return time.RFC3339
	}
	if named, ok := TimeLayouts[strings.ToLower(l)]; ok {
		return named
	}
	return l
}

// checkTimeType rejects a "time:" type whose layout has no reference
// element (a typo such as "time:YYYY-MM-DD" would otherwise only match its
// own literal text).
func checkTimeType(field string, t Type) error {
	l := timeLayout(t)
	if l == "unix" {
		return nil
	}
	other := time.Date(1999, 11, 22, 7, 8, 9, 0, time.UTC)
	if other.Format(l) == l {
		return &SpecError{Field: field, Msg: fmt.Sprintf("time layout %q has no Go reference element such as 2006, 01, 02, 15, 04 or 05", l)}
	}
	return nil
}

// parseTime converts s to a time.Time with t's layout.
func parseTime(s string, t Type) (any, error) {
	s = strings.TrimSpace(s)
	l := timeLayout(t)
	if l == "unix" {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("extract: %q is not a unix time: %w", s, err)
		}
		sec := int64(f)
		return time.Unix(sec, int64((f-float64(sec))*1e9)).UTC(), nil
	}
	return time.ParseInLocation(l, s, time.UTC)
}
