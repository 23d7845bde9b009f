package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/twofa/twofa/internal/safetext"
)

// decode is the one place where JSON from a server becomes the client's
// values: every answer (do), every error body (apiError) and the claims of
// a JWT (TokenExpiry) go through it. Once encoding/json has filled v,
// safetext.Scrub cleans every string in it of escape sequences, control
// and invisible characters and checks the bounds of the fields' `text`
// tags, so no caller can be handed raw server text, and a field added
// later is cleaned without anyone remembering to. A bound exceeded comes
// back as a *BadField, never as a cut value.
func decode(data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return err
	}
	var fe *safetext.FieldError
	if err := safetext.Scrub(v); errors.As(err, &fe) {
		return &BadField{Field: fe.Field, Problem: fieldProblems[fe.Problem], Limit: fe.Limit, Got: fe.Got}
	} else if err != nil {
		return err
	}
	return nil
}

// fieldProblems maps what Scrub finds to the client's words for it.
var fieldProblems = map[safetext.Problem]FieldProblem{
	safetext.TooLong:    FieldTooLong,
	safetext.TooMany:    FieldTooMany,
	safetext.NotVisible: FieldNotPlain,
	safetext.OutOfRange: FieldOutOfRange,
}

// badField is the error for a success answer with a field twofa refuses.
func (c *Client) badField(status int, f *BadField) error {
	return &TransportError{Server: c.base, Kind: KindBadResponse,
		Err: &BadResponse{Status: status, StatusText: http.StatusText(status), ContentType: "application/json", Field: f}}
}

// sentence is an error body's "message" or "detail": a sentence, or
// FastAPI's list of validation problems, of which only each "msg" is kept
// ("input" may echo what was sent), joined with "; ". Anything else reads
// as no sentence. decode cleans and bounds it like every string.
type sentence string

// UnmarshalJSON reads a sentence or a list of problems.
func (s *sentence) UnmarshalJSON(data []byte) error {
	var text string
	if json.Unmarshal(data, &text) == nil {
		*s = sentence(text)
		return nil
	}
	var list []struct {
		Msg string `json:"msg"`
	}
	if json.Unmarshal(data, &list) == nil {
		joined := ""
		for _, it := range list {
			if it.Msg == "" {
				continue
			}
			if joined != "" {
				joined += "; "
			}
			joined += it.Msg
		}
		*s = sentence(joined)
	}
	return nil
}

// Stamp is an instant a server sent: RFC 3339, or the ISO 8601 without
// a zone that CoPilot's pydantic models write for its naive UTC
// datetimes, read as UTC.
type Stamp struct{ time.Time }

// naiveLayout is pydantic's naive datetime, fractional seconds optional.
const naiveLayout = "2006-01-02T15:04:05.999999999"

// UnmarshalJSON reads either form; null leaves the zero time.
func (s *Stamp) UnmarshalJSON(b []byte) error {
	var raw *string
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if raw == nil {
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, *raw)
	if err != nil {
		if t, err = time.Parse(naiveLayout, *raw); err != nil {
			return fmt.Errorf("not a time: %w", err)
		}
	}
	s.Time = t.UTC()
	return nil
}
