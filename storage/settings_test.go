package storage

import "testing"

func TestSettings(t *testing.T) {
	db := openTest(t, Options{})
	if v, ok, err := db.Setting("lang"); err != nil || ok || v != nil {
		t.Errorf("unset Setting() = %q, %v, %v", v, ok, err)
	}
	tests := []struct {
		key, value string
	}{
		{"lang", `"fr"`},
		{"lang", `"zh-Hans"`}, // overwrite
		{"window", `{"w":1280,"h":800}`},
		{"empty", ""},
	}
	for _, tt := range tests {
		val := []byte(tt.value)
		if err := db.SetSetting(tt.key, val); err != nil {
			t.Fatalf("SetSetting(%q): %v", tt.key, err)
		}
		if len(val) > 0 {
			val[0] = 'X' // the stored value is a copy
		}
		got, ok, err := db.Setting(tt.key)
		if err != nil || !ok || string(got) != tt.value {
			t.Errorf("Setting(%q) = %q, %v, %v; want %q", tt.key, got, ok, err, tt.value)
		}
	}
	if err := db.SetSetting("", []byte("x")); err == nil {
		t.Error("SetSetting with an empty key succeeded")
	}
}
