package pgtest

import (
	"context"
	"testing"
)

// Roles are the cluster's, shared by every test of a binary: a role that
// Login granted in one test is taken back when that test ends, so tests
// do not depend on the order they run in.
func TestLoginRolesEndWithTheTest(t *testing.T) {
	c := start(t)
	ctx := context.Background()
	root, err := c.Admin(ctx, "postgres")
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close(ctx)
	if _, err := root.Exec(ctx, "CREATE ROLE reviewers NOLOGIN"); err != nil {
		t.Fatal(err)
	}
	member := func() bool {
		var ok bool
		if err := root.QueryRow(ctx, "SELECT pg_has_role('zed', 'reviewers', 'MEMBER')").Scan(&ok); err != nil {
			t.Fatal(err)
		}
		return ok
	}
	t.Run("grants", func(t *testing.T) {
		c.Login(t, "zed", "reviewers")
		if !member() {
			t.Fatal("Login did not grant the role")
		}
	})
	if member() {
		t.Fatal("the role outlived the test that granted it")
	}
	c.Login(t, "zed")
	if member() {
		t.Fatal("a later Login without the role still has it")
	}
}
