//go:build !unix

package app

// accountsCPUTime is 0 where getrusage is not available: the cpu-ms/op
// metric then reads 0.
func accountsCPUTime() int64 { return 0 }
