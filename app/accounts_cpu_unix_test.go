//go:build unix

package app

import "syscall"

// accountsCPUTime is the process's user+system CPU time in nanoseconds,
// for the cpu-ms/op metric of the Accounts benchmarks: wall time is noisy
// on a shared machine.
func accountsCPUTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
