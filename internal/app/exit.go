package app

import "fmt"

// ExitError asks main to exit with Code after printing Err, if any.
type ExitError struct {
	Code int
	Err  error
}

// Error returns the wrapped error's text.
func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

// Unwrap returns the wrapped error.
func (e *ExitError) Unwrap() error { return e.Err }

// ExitCodesUnsaved is the status of a UI that ended (a confirmed quit, a
// hang-up, a kill) with new backup codes on show that were never saved.
const ExitCodesUnsaved = 4
