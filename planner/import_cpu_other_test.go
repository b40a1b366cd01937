//go:build !unix

package planner_test

// impCPUTime returns 0 where getrusage is missing: cpu-ms/op reads 0.
func impCPUTime() int64 { return 0 }
