// Added to Go's time package (through `go build -overlay`) in the dev server that the timer tests
// start: time.Now() reads the wall clock shifted by WALL_CLOCK_SHIFT_SECONDS, so a restarted server
// can "wake up" weeks or years later and fire the timers that came due. The monotonic clock is left
// alone, so durations measured inside the process stay true. Without the variable nothing changes.
package time

import "syscall"

var wallClockShiftSeconds = wallClockShiftFromEnv()

func wallClockShiftFromEnv() int64 {
	value, ok := syscall.Getenv("WALL_CLOCK_SHIFT_SECONDS")
	if !ok || value == "" {
		return 0
	}
	var shift int64
	negative := value[0] == '-'
	if negative {
		value = value[1:]
	}
	for _, digit := range value {
		if digit < '0' || digit > '9' {
			panic("WALL_CLOCK_SHIFT_SECONDS must be a whole number of seconds")
		}
		shift = shift*10 + int64(digit-'0')
	}
	if negative {
		return -shift
	}
	return shift
}
