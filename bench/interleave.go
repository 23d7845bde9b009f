package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twofa/twofa/server/auth"
)

// busyRate is how many requests completed over a stretch of a burst in
// which every client still had one to send.
type busyRate struct {
	N int
	D time.Duration
}

// perSecond is the rate over the stretch.
func (b busyRate) perSecond() float64 { return rate(b.N, b.D) }

// plus adds the requests and time of another stretch.
func (b busyRate) plus(o busyRate) busyRate { return busyRate{b.N + o.N, b.D + o.D} }

// busyRun runs items 0..total-1 on n workers, each taking the next item as
// it finishes one, and returns the rate from the start until the first
// worker found no item left, and the time until the last one finished. The
// ramp-down between the two, with fewer requests in flight, is left out of
// the rate: it would cost a burst of slow requests more than one of fast
// ones, whatever the server's throughput.
func busyRun(n, total int, do func(worker, item int)) (busyRate, time.Duration) {
	var next, done atomic.Int64
	var once sync.Once
	var busy busyRate
	start := time.Now()
	elapsed := together(n, func(w int) {
		for i := int(next.Add(1) - 1); i < total; i = int(next.Add(1) - 1) {
			do(w, i)
			done.Add(1)
		}
		once.Do(func() { busy = busyRate{int(done.Load()), time.Since(start)} })
	})
	return busy, elapsed
}

// floorSlice sends total floor requests (server/benchfloor.go: validate's
// body and answer around one conditional UPDATE) through floorUsers, whose
// server URL ends in /floor. User c updates account ids[c] only, so its steps
// rise in order.
func floorSlice(ctx context.Context, floorUsers []*user, ids []int64, total int) (busyRate, error) {
	if len(ids) < len(floorUsers) {
		return busyRate{}, fmt.Errorf("floor: %d accounts for %d clients", len(ids), len(floorUsers))
	}
	t := newTally()
	b, _ := busyRun(len(floorUsers), total, func(c, _ int) {
		tok := strconv.FormatInt(ids[c], 10) + ":" + strconv.FormatInt(nextFloorStep(), 10)
		t0 := time.Now()
		_, err := floorUsers[c].ValidateTOTP(ctx, tok, "000000")
		t.observe("floor", t0, err)
	})
	return b, t.err("HTTP floor")
}

// validateRound completes one pending sign-in of every account (pending[i]
// for accts[i]) with a TOTP code, into t. For each it chooses, at the
// moment of sending, the earliest step the server will take: above the
// account's last accepted step (last[i], kept across rounds) and not before
// T-1 of the real clock. A code refused because the window moved while it
// was in flight is counted and sent again with a step chosen anew.
func validateRound(ctx context.Context, t *tally, users []*user, accts []*account, pending []string, last []int64) busyRate {
	b, _ := busyRun(len(users), len(accts), func(c, i int) {
		for attempt := 1; ; attempt++ {
			step := max(last[i]+1, auth.Step(time.Now())-1)
			t0 := time.Now()
			_, err := users[c].ValidateTOTP(ctx, pending[i], accts[i].codeAt(step))
			if err != nil && refused(err) && attempt < maxAttempts {
				t.refuse()
				continue
			}
			t.observe("validate", t0, err)
			if err == nil {
				last[i] = step
			}
			return
		}
	})
	return b
}

// interleaved is the validations and the HTTP floor measured in turns.
type interleaved struct {
	Validate, Floor busyRate
	FloorSent       int       // floor requests sent over all slices
	Ratios          []float64 // each round's validations ÷ the floor slices either side
	Tally           *tally
}

// interleave validates in rounds, round r completing pending[i][r] of every
// account i, with a slice of floorOps/(rounds+1) floor requests before,
// between and after them: both are sampled over the same stretch of the
// run, so a machine that slows down for a while slows both.
func interleave(ctx context.Context, users, floorUsers []*user, accts []*account, floorIDs []int64, pending [][]string, floorOps int) (interleaved, error) {
	rounds := len(pending[0])
	out := interleaved{Tally: newTally()}
	last := make([]int64, len(accts))
	slice := floorOps / (rounds + 1)
	out.FloorSent = slice * (rounds + 1)
	prev, err := floorSlice(ctx, floorUsers, floorIDs, slice)
	if err != nil {
		return out, err
	}
	out.Floor = prev
	for r := range rounds {
		col := make([]string, len(accts))
		for i := range accts {
			col[i] = pending[i][r]
		}
		v := validateRound(ctx, out.Tally, users, accts, col, last)
		next, err := floorSlice(ctx, floorUsers, floorIDs, slice)
		if err != nil {
			return out, err
		}
		out.Validate, out.Floor = out.Validate.plus(v), out.Floor.plus(next)
		out.Ratios = append(out.Ratios, v.perSecond()/prev.plus(next).perSecond())
		prev = next
	}
	return out, nil
}

// ratios lists per-round ratios for a figure's note.
func ratios(rs []float64) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = strconv.FormatFloat(r, 'f', 3, 64)
	}
	return strings.Join(out, ", ")
}
