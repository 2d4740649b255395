package sinks

import (
	"encoding/json"
	"strings"
	"time"
)

// colKind is the storage class of a SQL column, inferred from the first
// non-nil value seen for it.
type colKind uint8

const (
	kindUnknown colKind = iota // only nils seen so far; created as text
	kindInt
	kindFloat
	kindBool
	kindTime
	kindText
	kindJSON
	kindOther // an existing column of a type sluice does not map
)

// kindOf returns the kind of a normalized value.
func kindOf(v any) colKind {
	switch v.(type) {
	case int64:
		return kindInt
	case float64:
		return kindFloat
	case bool:
		return kindBool
	case time.Time:
		return kindTime
	case string:
		return kindText
	case json.RawMessage:
		return kindJSON
	}
	return kindUnknown
}

// sqliteType is the declared type of a new SQLite column. JSON is stored
// as TEXT: a JSON declared type would get NUMERIC affinity.
func sqliteType(k colKind) string {
	switch k {
	case kindInt:
		return "INTEGER"
	case kindFloat:
		return "REAL"
	case kindBool:
		return "BOOLEAN"
	case kindTime:
		return "TIMESTAMP"
	}
	return "TEXT"
}

// postgresType is the type of a new Postgres column.
func postgresType(k colKind) string {
	switch k {
	case kindInt:
		return "BIGINT"
	case kindFloat:
		return "DOUBLE PRECISION"
	case kindBool:
		return "BOOLEAN"
	case kindTime:
		return "TIMESTAMPTZ"
	case kindJSON:
		return "JSONB"
	}
	return "TEXT"
}

// kindOfPostgres maps an information_schema data_type to a kind.
func kindOfPostgres(dataType string) colKind {
	switch strings.ToLower(dataType) {
	case "bigint", "integer", "smallint":
		return kindInt
	case "double precision", "real", "numeric":
		return kindFloat
	case "boolean":
		return kindBool
	case "timestamp with time zone", "timestamp without time zone", "date":
		return kindTime
	case "text", "character varying", "character":
		return kindText
	case "json", "jsonb":
		return kindJSON
	}
	return kindOther
}

// column is one column of a SQL sink's table.
type column struct {
	name string
	kind colKind
}
