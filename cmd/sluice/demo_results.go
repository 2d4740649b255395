package main

import (
	"context"
	"database/sql"
	"fmt"
	"text/tabwriter"

	_ "modernc.org/sqlite" // the database/sql driver the SQLite sink uses

	"github.com/sluicehq/sluice/job"
	"github.com/sluicehq/sluice/sinks"
)

// showDemoResults prints where the demo's outputs are and a few rows.
func (a *app) showDemoResults(ctx context.Context, j *job.Job) error {
	q := "select title, price from " + j.Sink.Table + " order by price desc limit 5"
	fmt.Fprintf(a.Out, "\nrecords:      %s (SQLite, table %s)\n", j.Sink.Path, j.Sink.Table)
	fmt.Fprintf(a.Out, "dead letters: %s (one JSON line per failed input, with its error)\n", j.DeadLetter.Path)
	fmt.Fprintf(a.Out, "\ntry:\n  sqlite3 %s '%s'\n\n", j.Sink.Path, q)
	db, err := sql.Open("sqlite", sinks.SQLiteDSN(j.Sink.Path))
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(ctx, "select count(*) from "+j.Sink.Table).Scan(&n); err != nil {
		return fmt.Errorf("demo: read results: %w", err)
	}
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("demo: read results: %w", err)
	}
	defer rows.Close()
	tw := tabwriter.NewWriter(a.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "title\tprice")
	for rows.Next() {
		var title string
		var price float64
		if err := rows.Scan(&title, &price); err != nil {
			return fmt.Errorf("demo: read results: %w", err)
		}
		fmt.Fprintf(tw, "%s\t%.2f\n", title, price)
	}
	tw.Flush()
	fmt.Fprintf(a.Out, "(%d rows in %s)\n", n, j.Sink.Table)
	return rows.Err()
}
