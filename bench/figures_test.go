package main

import (
	"errors"
	"testing"
)

func TestFigureVerdict(t *testing.T) {
	tests := []struct {
		name string
		f    Figure
		want string
	}{
		{"at most met", Figure{Value: 1.3, Cmp: atMost, Goal: 1.3}, "met"},
		{"at most missed", Figure{Value: 1.31, Cmp: atMost, Goal: 1.3}, "MISSED"},
		{"at least met", Figure{Value: 1000, Cmp: atLeast, Goal: 1000}, "met"},
		{"at least missed", Figure{Value: 999, Cmp: atLeast, Goal: 1000}, "MISSED"},
		{"exactly met", Figure{Value: 5, Cmp: exactly, Goal: 5}, "met"},
		{"exactly missed high", Figure{Value: 6, Cmp: exactly, Goal: 5}, "MISSED"},
		{"exactly missed low", Figure{Value: 4, Cmp: exactly, Goal: 5}, "MISSED"},
		{"no goal", Figure{Value: 4}, ""},
		{"error", Figure{Value: 1, Cmp: atMost, Goal: 2, Err: errors.New("x")}, "not measured"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f.Verdict(); got != tt.want {
				t.Errorf("Verdict() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNum(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{5, "5"}, {1234.56, "1235"}, {12.345, "12.3"}, {1.234, "1.23"}, {0.01234, "0.0123"},
	}
	for _, tt := range tests {
		if got := num(tt.v); got != tt.want {
			t.Errorf("num(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}
