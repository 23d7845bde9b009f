// Package words is what twofa says to people: the sentence for every error
// the client and the keyring return, the wording of session outcomes, one
// format for durations, one for dates and times, and the thresholds those
// sentences use. The terminal UI and the command line both speak through
// it, so each fact is worded once; the packages below it return errors that
// carry facts (types and fields), never sentences.
package words

import "fmt"

// Settings names, for the sentences that point a person to a setting, how
// that person changes it in the front end that shows the sentence: the
// command line's flags ("--server"), or whatever an SSH gateway offers. An
// empty field is named generically ("the server address").
type Settings struct {
	// Server is the setting that picks the server, e.g. "--server".
	Server string
	// AllowHTTP is the setting that permits plain http://, e.g. "--allow-http".
	AllowHTTP string
	// CACert is the setting that adds a trusted CA, e.g. "--ca-cert FILE".
	CACert string
	// InsecureStorage is the setting that allows a plaintext token file,
	// e.g. "--insecure-storage".
	InsecureStorage string
}

// Words says things in one front end's terms. The zero value names no
// setting; it is safe for concurrent use and cheap to copy.
type Words struct {
	settings Settings
}

// New returns the Words of a front end whose settings are named s.
func New(s Settings) Words { return Words{settings: s} }

// server names the server setting: "--server", else "the server address".
func (w Words) server() string {
	if w.settings.Server != "" {
		return w.settings.Server
	}
	return "the server address"
}

// Explained is an error as a person reads it: Error is the sentence Words
// chose for Err, Unwrap is Err, so errors.Is and errors.As still reach the
// facts under the sentence.
type Explained struct {
	Err      error
	sentence string
}

// Error returns the sentence.
func (e *Explained) Error() string { return e.sentence }

// Unwrap returns the error the sentence is about.
func (e *Explained) Unwrap() error { return e.Err }

// Explain wraps err so that it prints as w.Error(err); nil stays nil.
func (w Words) Explain(err error) error {
	if err == nil {
		return nil
	}
	return &Explained{Err: err, sentence: w.Error(err)}
}

// Plural returns "1 code" or "3 codes" for n and a singular noun.
func Plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
