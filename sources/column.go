package sources

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Column picks a CSV column by header name or by position. The zero value
// picks nothing; each config field says what its zero value means.
type Column struct {
	name  string
	index int
	set   bool
	byPos bool
}

// ColumnNamed picks the column whose header is name, compared without
// regard to case or surrounding white space. The first match wins.
func ColumnNamed(name string) Column { return Column{name: name, set: true} }

// ColumnAt picks the column at the 0-based position index.
func ColumnAt(index int) Column { return Column{index: index, set: true, byPos: true} }

// IsZero reports whether c picks nothing.
func (c Column) IsZero() bool { return !c.set }

// byName reports whether c picks a column by header name.
func (c Column) byName() bool { return c.set && !c.byPos }

// String returns the name, or "#index" for a position.
func (c Column) String() string {
	switch {
	case !c.set:
		return "(none)"
	case c.byPos:
		return "#" + strconv.Itoa(c.index)
	default:
		return strconv.Quote(c.name)
	}
}

// resolve returns the column's position in header. Without a header row
// (named false), header holds generated names and only positions work.
func (c Column) resolve(header []string, named bool) (int, error) {
	if c.byPos {
		if c.index < 0 || c.index >= len(header) {
			return 0, fmt.Errorf("column %s out of range: rows have %d columns", c, len(header))
		}
		return c.index, nil
	}
	if !named {
		return 0, fmt.Errorf("column %s picked by name, but the input has no header", c)
	}
	want := strings.TrimSpace(c.name)
	for i, h := range header {
		if strings.EqualFold(strings.TrimSpace(h), want) {
			return i, nil
		}
	}
	return 0, &ColumnError{Name: c.name, Header: slices.Clone(header)}
}

// ColumnError says a column picked by name is not in the input's header.
type ColumnError struct {
	// Name is the column asked for; Header the input's header row.
	Name   string
	Header []string
}

// Error names the column and lists the header.
func (e *ColumnError) Error() string {
	return fmt.Sprintf("no column %q in header %q", e.Name, e.Header)
}
