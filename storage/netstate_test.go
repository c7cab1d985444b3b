package storage

import (
	"testing"
)

func TestNetState(t *testing.T) {
	db := openTest(t, Options{})
	addAccount(t, db, "vienna", "a1")
	if v, err := db.NetState("a1", "etag"); err != nil || v != nil {
		t.Fatalf("fresh state = %q, %v", v, err)
	}
	if err := db.SetNetState("a1", "etag", []byte(`"abc"`)); err != nil {
		t.Fatal(err)
	}
	if v, _ := db.NetState("a1", "etag"); string(v) != `"abc"` {
		t.Errorf("got %q", v)
	}
	if err := db.SetNetState("", "etag", []byte("x")); err == nil {
		t.Error("state without an account id was stored")
	}
	if err := db.SetNetState("a1", "etag", nil); err != nil {
		t.Fatal(err)
	}
	if v, _ := db.NetState("a1", "etag"); v != nil {
		t.Errorf("deleted value is %q", v)
	}
	_ = db.SetNetState("a1", "cursor", []byte("c"))
	if err := db.DeleteAccount("a1"); err != nil {
		t.Fatal(err)
	}
	addAccount(t, db, "vienna", "a1")
	if v, _ := db.NetState("a1", "cursor"); v != nil {
		t.Errorf("state outlived its account: %q", v)
	}
}
