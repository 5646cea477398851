package spec

import (
	"fmt"
	"strconv"
	"strings"
)

// CheckValue reports whether one scalar value parses as the setting's type
// the way the node parses it at start-up; the error says why not. A value
// holding a ${...} placeholder is not checked (its value is unknown), nor
// are String and List settings. A Secure setting fails whatever its value:
// it does not belong in the file at all.
func CheckValue(s *Setting, value string) error {
	if s != nil && s.Type == Secure {
		return fmt.Errorf("%s is a secure setting: store it in the node's keystore, not in the settings file (the node refuses to start)", s.Key)
	}
	if s == nil || strings.Contains(value, "${") {
		return nil
	}
	switch s.Type {
	case Bool:
		// Strict since 6.0: anything but the two words stops the node.
		if value != "true" && value != "false" {
			return fmt.Errorf("[%s] is not a boolean: only [true] or [false] are allowed", value)
		}
	case Int:
		if _, err := strconv.ParseInt(strings.TrimSpace(value), 10, 32); err != nil {
			return fmt.Errorf("[%s] is not an integer", value)
		}
	case Float:
		if _, err := strconv.ParseFloat(strings.TrimSpace(value), 64); err != nil {
			return fmt.Errorf("[%s] is not a number", value)
		}
	case Port:
		_, err := ParsePorts(value)
		return err
	case ByteSize:
		return checkByteSize(value)
	case MemSize:
		v := strings.TrimSpace(value)
		if pct, ok := strings.CutSuffix(v, "%"); ok {
			f, err := strconv.ParseFloat(pct, 64)
			if err != nil || f < 0 || f > 100 {
				return fmt.Errorf("[%s] is not a percentage between 0%% and 100%%", value)
			}
			return nil
		}
		return checkByteSize(value)
	case Time:
		return checkTime(value)
	case Enum:
		for _, e := range s.Enum {
			if strings.EqualFold(strings.TrimSpace(value), e) {
				return nil
			}
		}
		return fmt.Errorf("[%s] is not one of [%s]", value, strings.Join(s.Enum, ", "))
	}
	return nil
}

// ParsePorts reads a port spec as the node's PortsRange does:
// comma-separated items, each a port or an inclusive range "first-last",
// blanks around items ignored. It returns the [first, last] pairs.
func ParsePorts(spec string) ([][2]int, error) {
	var out [][2]int
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		lo, hi, isRange := strings.Cut(item, "-")
		a, err := portNumber(lo, spec)
		if err != nil {
			return nil, err
		}
		b := a
		if isRange {
			if b, err = portNumber(hi, spec); err != nil {
				return nil, err
			}
			if b < a {
				return nil, fmt.Errorf("[%s]: start port %d is greater than end port %d", spec, a, b)
			}
		}
		out = append(out, [2]int{a, b})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("[%s] is not a port or port range", spec)
	}
	return out, nil
}

func portNumber(s, spec string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("[%s] is not a port or port range (such as 9200 or 9200-9300)", spec)
	}
	if n < 0 || n > 65535 {
		return 0, fmt.Errorf("[%s]: port %d is outside 0-65535", spec, n)
	}
	return n, nil
}

// Byte-size units, longest first so "kb" wins over "b".
var byteUnits = []string{"kb", "mb", "gb", "tb", "pb", "k", "m", "g", "t", "p", "b"}

func checkByteSize(value string) error {
	v := strings.ToLower(strings.TrimSpace(value))
	if v == "-1" || v == "0" {
		return nil
	}
	for _, u := range byteUnits {
		num, ok := strings.CutSuffix(v, u)
		if !ok {
			continue
		}
		// A fraction ("1.5gb") is accepted with a deprecation warning.
		f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
		if err != nil || f < 0 {
			break
		}
		return nil
	}
	return fmt.Errorf("[%s] is not a byte size: give a unit (b, kb, mb, gb, tb, pb), as in 512mb", value)
}

// Time units; a bare number is only allowed for 0 and -1.
var timeUnits = []string{"nanos", "micros", "ms", "s", "m", "h", "d"}

func checkTime(value string) error {
	v := strings.ToLower(strings.TrimSpace(value))
	if v == "-1" || v == "0" {
		return nil
	}
	for _, u := range timeUnits {
		num, ok := strings.CutSuffix(v, u)
		if !ok {
			continue
		}
		if n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64); err == nil && n >= -1 {
			return nil
		}
		if strings.Contains(num, ".") {
			return fmt.Errorf("[%s]: fractional time values are not supported; use a smaller unit (500ms, not 0.5s)", value)
		}
	}
	return fmt.Errorf("[%s] is not a time value: give a unit (ms, s, m, h, d), as in 30s", value)
}
