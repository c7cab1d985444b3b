package x_test

import (
	"strings"
	"testing"

	"chancery/feeds/x"
)

func TestWeightedLength(t *testing.T) {
	cases := []struct {
		text string
		want int
	}{
		{"", 0},
		{"Bonjour à tous", 14},
		{strings.Repeat("a", 280), 280},
		{"你好，世界", 10},
		{"Привет", 6}, // Cyrillic is below U+10FF: weight 100
		{"مرحبا", 5},
		{"こんにちは", 10},
		{"Visa: https://www.example.gc.ca/a/very/long/path?with=query&and=more", 6 + 23},
		{"see example.com now", 4 + 23 + 4},
		{"👍", 2},
		{"👨‍👩‍👧‍👦", 2},
		{"👍🏽 ok", 5},
		{"🇫🇷🇨🇦", 4}, // two flags
		{"Merci 👍🏽 🇫🇷 👨‍👩‍👧", 14},
		{"e\u0301", 1},           // NFC: é
		{"“quoted” — dash…", 17}, // quotes and dash weigh 100, the ellipsis (U+2026) 200
	}
	for _, tc := range cases {
		if got := x.WeightedLength(tc.text); got != tc.want {
			t.Errorf("%q: %d, want %d", tc.text, got, tc.want)
		}
	}
}

func BenchmarkWeightedLength(b *testing.B) {
	text := strings.Repeat("Consular services 领事服务 https://example.org/visa 👍 ", 5)
	for b.Loop() {
		x.WeightedLength(text)
	}
}
