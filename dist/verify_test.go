package dist

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go/jetstream"
)

// checkExactlyOnce checks that every key k0..k{total-1} is in the table
// exactly once or in the dead letters with a reason (never both, never
// neither), and that the ledger balances.
func checkExactlyOnce(t *testing.T, ctx context.Context, conn *pgx.Conn, table string, js jetstream.JetStream, st Status, total int) {
	t.Helper()
	rows, err := conn.Query(ctx, "SELECT key, count(*) FROM "+table+" GROUP BY key")
	if err != nil {
		t.Fatal(err)
	}
	inPG := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			t.Fatal(err)
		}
		inPG[k] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	dead, err := ReadDeadLetters(ctx, js, st.Job)
	if err != nil {
		t.Fatal(err)
	}
	inDead := map[string]DeadLetter{}
	for _, d := range dead {
		if d.Reason == "" {
			t.Errorf("dead letter %s has no reason", d.Key)
		}
		if _, dup := inDead[d.Key]; dup {
			t.Errorf("key %s dead-lettered twice", d.Key)
		}
		inDead[d.Key] = d
	}
	missing := 0
	for i := range total {
		k := "k" + itoa(i)
		n, pg := inPG[k]
		_, dl := inDead[k]
		switch {
		case pg && n != 1:
			t.Errorf("key %s is in Postgres %d times", k, n)
		case !pg && !dl:
			missing++
			if missing < 5 {
				t.Errorf("key %s is neither in Postgres nor in the dead letters", k)
			}
		}
	}
	if missing > 0 {
		t.Errorf("%d keys lost", missing)
	}
	l, err := LedgerOf(ctx, js, st)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("ledger: %+v; rows %d, dead %d", l, len(inPG), len(inDead))
	if !l.Balanced() || l.Enqueued != int64(total) || l.Queued != 0 {
		t.Errorf("ledger does not balance: %+v", l)
	}
	if l.Written != int64(len(inPG)) {
		t.Errorf("ledger says %d written, Postgres holds %d keys", l.Written, len(inPG))
	}
}

func itoa(i int) string {
	b := []byte{}
	if i == 0 {
		return "0"
	}
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}
