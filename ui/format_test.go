package ui

import (
	"testing"
	"time"
)

func TestCountdown(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{15 * time.Minute, "15:00"},
		{14*time.Minute + 32*time.Second, "14:32"},
		{14*time.Minute + 31*time.Second + 100*time.Millisecond, "14:32"},
		{time.Second, "0:01"},
		{time.Millisecond, "0:01"},
		{0, "0:00"},
		{-time.Second, "0:00"},
	}
	for _, tc := range tests {
		if got := Countdown(tc.d); got != tc.want {
			t.Errorf("Countdown(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}
