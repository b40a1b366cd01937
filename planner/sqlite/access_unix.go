//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris

package sqlite

import (
	"io/fs"
	"syscall"
)

// dirWritable returns an error when the process may not create files in the
// folder dir (no write permission, or a read-only file system), as SQLite
// must to make a plan's -wal and -shm files. It creates nothing.
func dirWritable(dir string) error {
	const wOK = 2 // W_OK in <unistd.h>
	if err := syscall.Access(dir, wOK); err != nil {
		return &fs.PathError{Op: "access", Path: dir, Err: err}
	}
	return nil
}
