//go:build !(aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris)

package sqlite

// dirWritable cannot tell, without creating a file, whether the folder dir
// can be written on this system (Windows grants it through ACLs); it
// reports no error, and Open relies on mapping SQLite's errors instead.
func dirWritable(dir string) error { return nil }
