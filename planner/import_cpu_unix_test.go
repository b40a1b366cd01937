//go:build unix

package planner_test

import "syscall"

// impCPUTime is the process's user+system CPU time in nanoseconds, for the
// cpu-ms/op metric of the import benchmarks: wall time is noisy on a shared
// machine.
func impCPUTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
