package app

import (
	"os"
	"testing"
)

func TestMetadataComesFromFyneAppTOML(t *testing.T) {
	raw, err := os.ReadFile("../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	m := metadata(raw)
	if m.Name != "Chancery" || m.ID == "" || m.Version == "" || !m.Migrations["fyneDo"] {
		t.Errorf("metadata %+v", m)
	}
	if d := metadata([]byte("not toml [")); d.Name != "Chancery" || d.ID == "" {
		t.Errorf("fallback %+v", d)
	}
}
