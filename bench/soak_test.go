package main

import (
	"testing"
	"time"

	"github.com/twofa/twofa/server/auth"
)

func TestFreeStepKeepsAWholeStepOfMargin(t *testing.T) {
	now := auth.Step(time.Now())
	own := make([]*account, 3)
	tests := []struct {
		name     string
		last     []int64
		from     int
		wantI    int
		wantStep int64
		wantOK   bool
	}{
		{"unused account takes T", []int64{0, 0, 0}, 0, 0, now, true},
		{"T used, so T+1", []int64{now, 0, 0}, 0, 0, now + 1, true},
		{"starts at from", []int64{0, 0, 0}, 2, 2, now, true},
		{"skips an account that used T+1", []int64{now + 1, now, 0}, 0, 1, now + 1, true},
		{"never T-1, never T+2", []int64{now + 1, now + 1, now + 1}, 0, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The step could turn between now and the call; skip rather than flake.
			if auth.Step(time.Now()) != now {
				t.Skip("the TOTP step turned during the test")
			}
			i, step, ok := freeStep(own, tt.last, tt.from)
			if ok != tt.wantOK || (ok && (i != tt.wantI || step != tt.wantStep)) {
				t.Errorf("freeStep() = %d, %d, %v; want %d, %d, %v", i, step-now, ok, tt.wantI, tt.wantStep-now, tt.wantOK)
			}
		})
	}
}
