package risk

import (
	"errors"
	"testing"
)

func TestParsePercent(t *testing.T) {
	tests := []struct {
		in      string
		want    Percent
		wantErr bool
	}{
		{"80", 8000, false},
		{"80%", 8000, false},
		{"80.5", 8050, false},
		{"80.37", 8037, false},
		{"0.01", 1, false},
		{"1000", 100000, false},
		{"-3.25", -325, false},
		{"007", 700, false},
		{"80.375", 0, true},
		{"80.", 0, true},
		{".5", 0, true},
		{"", 0, true},
		{"%", 0, true},
		{"8e1", 0, true},
		{"+80", 0, true},
		{"80 %", 0, true},
		{"92233720368547758.08", 0, true},
	}
	for _, tt := range tests {
		got, err := ParsePercent(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParsePercent(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
	if _, err := ParsePercent("92233720368547758.08"); !errors.Is(err, ErrOverflow) {
		t.Errorf("overflow error %v does not wrap ErrOverflow", err)
	}
}

func TestPercentString(t *testing.T) {
	for p, want := range map[Percent]string{8000: "80%", 8050: "80.5%", 8037: "80.37%", 1: "0.01%", -325: "-3.25%", 0: "0%", 100000: "1000%"} {
		if got := p.String(); got != want {
			t.Errorf("Percent(%d).String() = %q, want %q", int64(p), got, want)
		}
	}
}

func FuzzParsePercent(f *testing.F) {
	for _, s := range []string{"80", "80.37", "0.01", "-3.5%", "1e3", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePercent(s)
		if err != nil {
			return
		}
		text, _ := p.MarshalText()
		back, err := ParsePercent(string(text))
		if err != nil || back != p {
			t.Fatalf("ParsePercent(%q) = %v, marshals to %q, which parses to %v, %v", s, p, text, back, err)
		}
		if back, err := ParsePercent(p.String()); err != nil || back != p {
			t.Fatalf("String %q parses to %v, %v", p.String(), back, err)
		}
	})
}
