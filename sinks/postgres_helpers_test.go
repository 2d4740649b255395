package sinks

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

const (
	postgresEnv  = "SLUICE_TEST_POSTGRES"
	postgresHint = "export SLUICE_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable to run against Postgres"
)

// postgresDSN returns the test DSN or skips the test.
func postgresDSN(t testing.TB) string {
	dsn := os.Getenv(postgresEnv)
	if dsn == "" {
		t.Skip("no Postgres: " + postgresHint)
	}
	return dsn
}

// freshSchema creates a schema with a random name, dropped at cleanup.
func freshSchema(t testing.TB, dsn string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	schema := fmt.Sprintf("sluice_test_%d", rand.Uint32())
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			t.Error(err)
		}
	})
	return schema
}

func dropTable(t testing.TB, dsn, table string) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Error(err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP TABLE IF EXISTS "+pgx.Identifier{table}.Sanitize()); err != nil {
		t.Error(err)
	}
}
