package team

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

//go:embed sql/*.sql
var sqlFiles embed.FS

// migrationsTable records which migrations ran; created before the first.
const migrationsTable = `CREATE SCHEMA IF NOT EXISTS chancery;
CREATE TABLE IF NOT EXISTS chancery.schema_migrations (
  version    integer     PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now()
);
`

// migration is one embedded file, numbered by its name (001_init.sql is 1).
type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	names, err := fs.Glob(sqlFiles, "sql/*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	slices.Sort(names)
	out := make([]migration, 0, len(names))
	for i, name := range names {
		raw, err := sqlFiles.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", name, err)
		}
		var v int
		if _, err := fmt.Sscanf(strings.TrimPrefix(name, "sql/"), "%03d_", &v); err != nil || v != i+1 {
			return nil, fmt.Errorf("migration %s is not number %d", name, i+1)
		}
		out = append(out, migration{version: v, name: name, sql: string(raw)})
	}
	return out, nil
}

// Schema returns the SQL IT runs, as the database owner, to create or
// bring up to date the team server's schema: every migration in its own
// transaction, each skipped when already applied.
func Schema() (string, error) {
	migs, err := migrations()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("-- Chancery team review schema. Run with: psql -v ON_ERROR_STOP=1 -f FILE DBNAME\n")
	b.WriteString("SET client_min_messages = warning;\n")
	b.WriteString(migrationsTable)
	for _, m := range migs {
		fmt.Fprintf(&b, "\n-- %s\nBEGIN;\n", m.name)
		fmt.Fprintf(&b, "SELECT (SELECT count(*) FROM chancery.schema_migrations WHERE version = %d) = 0 AS apply_%d \\gset\n", m.version, m.version)
		fmt.Fprintf(&b, "\\if :apply_%d\n%s\nINSERT INTO chancery.schema_migrations (version) VALUES (%d);\n\\endif\nCOMMIT;\n", m.version, m.sql, m.version)
	}
	return b.String(), nil
}

// Migrate applies the migrations conn's database lacks, each in its own
// transaction. conn must be the database owner's.
func Migrate(ctx context.Context, conn *pgx.Conn) error {
	migs, err := migrations()
	if err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, migrationsTable); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	for _, m := range migs {
		if err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "LOCK TABLE chancery.schema_migrations"); err != nil {
				return err
			}
			var done bool
			q := "SELECT EXISTS (SELECT 1 FROM chancery.schema_migrations WHERE version = $1)"
			if err := tx.QueryRow(ctx, q, m.version).Scan(&done); err != nil || done {
				return err
			}
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "INSERT INTO chancery.schema_migrations (version) VALUES ($1)", m.version)
			return err
		}); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return nil
}
