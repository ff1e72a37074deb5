package filestore

import (
	"bufio"
	"errors"
	"math"
	"os"
	"strings"
	"testing"
)

// TestExpiredMatchesNode checks the expiry rule against verdicts produced by
// session-file-store itself (testdata/expiry-oracle.js, run with Node on the
// same file contents): the plain cases, the boundaries, and the records a
// foreign writer might produce, where JavaScript's + concatenates strings.
func TestExpiredMatchesNode(t *testing.T) {
	const now, ttlMs = 1800000000000, 3600000
	f, err := os.Open("testdata/expiry-node.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		want, doc, _ := strings.Cut(line, "\t")
		dead, err := expired([]byte(doc), ttlMs, now)
		got := map[bool]string{true: "expired", false: "live"}[dead]
		if errors.Is(err, ErrCorrupt) {
			got = "corrupt"
		} else if err != nil {
			got = err.Error()
		}
		if got != want {
			t.Errorf("%s: got %s, want %s (Node)", doc, got, want)
		}
		n++
	}
	if n < 50 {
		t.Fatalf("only %d cases read", n)
	}
}

func TestNumberToString(t *testing.T) {
	// What String(x) gives in Node.
	cases := map[float64]string{
		0: "0", math.Copysign(0, -1): "0", 1: "1", -1.5: "-1.5", 0.1: "0.1",
		1e21: "1e+21", 1e20: "100000000000000000000", 123456789012345680000: "123456789012345680000",
		1.5e21: "1.5e+21", 1e-7: "1e-7", 1.5e-7: "1.5e-7", 1e-6: "0.000001", 1.25e-6: "0.00000125",
		1800000000000: "1800000000000", math.MaxFloat64: "1.7976931348623157e+308",
		5e-324: "5e-324", math.Inf(1): "Infinity", math.Inf(-1): "-Infinity", math.NaN(): "NaN",
	}
	for x, want := range cases {
		if got := numberToString(x); got != want {
			t.Errorf("numberToString(%v) = %q, want %q", x, got, want)
		}
	}
}

func TestStringToNumber(t *testing.T) {
	// What Number(s) gives in Node.
	nan := math.NaN()
	cases := map[string]float64{
		"": 0, "  ": 0, "12": 12, " 12 ": 12, "\u00a012\ufeff": 12, "\u008512": nan,
		"-1.5": -1.5, "+1.5": 1.5, ".5": 0.5, "5.": 5, ".": nan, "1e3": 1000, "1E-3": 0.001,
		"1e": nan, "e1": nan, "1e+": nan, "--1": nan, "+-1": nan,
		"0x1F": 31, "0X1f": 31, "0o17": 15, "0b101": 5, "0x": nan, "-0x1": nan, "0x1g": nan,
		"0b2": nan, "0x1_0": nan, "1_0": nan, "Infinity": math.Inf(1), "-Infinity": math.Inf(-1),
		"+Infinity": math.Inf(1), "infinity": nan, "inf": nan, "NaN": nan, "nan": nan,
		"1e400": math.Inf(1), "-1e400": math.Inf(-1), "1e-400": 0, "0x1p3": nan, "abc": nan,
		"0xFFFFFFFFFFFFFFFFFF": 4.722366482869645e+21,
	}
	for s, want := range cases {
		got := stringToNumber(s)
		if got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Errorf("stringToNumber(%q) = %v, want %v", s, got, want)
		}
	}
}
