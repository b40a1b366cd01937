// Package planner is Meridian's domain: a plan of geography units, accounts,
// territories, reps and scenarios, the alignment of units to territories in
// each scenario, and the metrics that planners balance.
//
// The package holds plain types and pure functions. It imports no GUI toolkit,
// no SQL driver and no spreadsheet library; adapters live in subpackages
// (planner/sqlite stores a plan in one SQLite file, planner/xlsx writes the
// Excel workbook, planner/sample builds the embedded sample plan), following
// Ben Johnson's standard package layout.
package planner

import (
	"errors"
	"fmt"
)

// Error codes carried by *Error. They say what kind of failure happened so
// that the GUI and the CLI can choose how to present it.
const (
	EINVALID     = "invalid"     // the input is wrong: bad file, row or value
	ENOTFOUND    = "not_found"   // a named thing does not exist
	ENOTPLAN     = "not_plan"    // a file is not a Meridian plan
	ETOONEW      = "too_new"     // a plan was written by a newer Meridian
	ECONFLICT    = "conflict"    // the operation conflicts with the plan's state
	EINTERNAL    = "internal"    // a bug or an unexpected failure
	ECANCELED    = "canceled"    // the user cancelled a long operation
	EUNSUPPORTED = "unsupported" // a format or feature Meridian does not handle
	EIO          = "io"          // a file could not be read or written (permissions, disk full, missing folder)
)

// Error is an application error with a code and a message written for the
// user (a sales-operations analyst, not a programmer). Adapters wrap lower
// level errors in it so that the message names the file, row and column.
type Error struct {
	Code    string // one of the E* constants
	Message string // user-facing: what went wrong and where (file, row, column)
	Err     error  // optional underlying error, for logs and errors.Is
}

// Error implements the error interface: the message, then the cause if any.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Message, e.Err)
	}
	return e.Message
}

// Unwrap returns the underlying error, if any.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of the first *Error in err's
// chain, or a generic message for any other error (its text is kept for logs).
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error: " + err.Error()
}
