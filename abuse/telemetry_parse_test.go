package abuse_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/risk"
)

const goodLine = `{"subscription":"sub-1","resource":"vm-1","window":{"start":"2026-11-20T10:00:00Z","end":"2026-11-20T11:00:00Z"},` +
	`"collected":["flows","dns"],"flows":[{"time":"2026-11-20T10:01:00Z","direction":"outbound","remote":"203.0.113.7","port":3333,"protocol":"tcp","packets":10,"flows":1}]}`

func TestParseTelemetry(t *testing.T) {
	ts, err := abuse.ParseTelemetry([]byte(goodLine + "\n\n" + goodLine + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 2 || ts[1].Flows[0].Port != 3333 || ts[0].Flows[0].Remote != ip("203.0.113.7") {
		t.Fatalf("decoded %+v", ts)
	}
	arr, err := abuse.ParseTelemetry([]byte("[\n" + goodLine + ",\n" + goodLine + "\n]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmpDiff(ts, arr); diff != "" {
		t.Errorf("an array decodes differently from JSON Lines (-lines +array):\n%s", diff)
	}
	var buf bytes.Buffer
	if err := abuse.EncodeTelemetry(&buf, ts); err != nil {
		t.Fatal(err)
	}
	back, err := abuse.ParseTelemetry(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmpDiff(ts, back); diff != "" {
		t.Errorf("telemetry does not round-trip (-before +after):\n%s", diff)
	}
	if ts, err := abuse.ParseTelemetry([]byte(" \n")); err != nil || len(ts) != 0 {
		t.Errorf("empty input: %v, %v; want no windows and no error", ts, err)
	}
}

func TestParseTelemetryErrors(t *testing.T) {
	line2 := func(s string) string { return goodLine + "\n" + s + "\n" }
	replace := func(old, new string) string { return line2(strings.Replace(goodLine, old, new, 1)) }
	for _, tc := range []struct {
		name, in, want string
	}{
		{"syntax", line2(`{"subscription": "sub-1",}`), `record 2: 2:26: invalid JSON: invalid character '}'`},
		{"truncated", line2(`{"subscription": "sub-1"`), `record 2: 3:1: invalid JSON: unexpected end of input`},
		{"unknown field", replace(`"port":3333`, `"port":3333,"colour":"red"`), `record 2: 2:240: flows[0].colour: unknown key "colour"`},
		{"bad enum", replace(`"outbound"`, `"sideways"`), `record 2: 2:194: flows[0].direction: unknown direction "sideways" (want one of inbound, outbound, none)`},
		{"bad address", replace(`"203.0.113.7"`, `"203.0.113"`), `record 2: 2:214: flows[0].remote: ParseAddr("203.0.113"): IPv4 address too short`},
		{"port too large", replace(`3333`, `70000`), `record 2: 2:235: flows[0].port: "70000" is not a whole number of at least 0 in the range of a 16-bit number`},
		{"bad time", replace(`"2026-11-20T10:01:00Z"`, `"yesterday"`), `record 2: 2:159: flows[0].time: parsing time "yesterday"`},
		{"wrong type", replace(`"collected":["flows","dns"]`, `"collected":"flows"`), `record 2: 2:126: collected: want a list`},
		{"object for a list", replace(`"collected":["flows","dns"]`, `"collected":{"a":1}`), `record 2: 2:126: collected: want a list`},
		{"unknown source", replace(`"dns"]`, `"dna"]`), `record 2: 2:135: collected[1]: unknown telemetry source "dna"`},
		{"not an object", line2(`[1]`), `record 2: 2:1: want a mapping of keys to values`},
		{"invalid after decoding", replace(`"2026-11-20T10:01:00Z"`, `"2026-11-20T12:01:00Z"`),
			`record 2 (subscription "sub-1"): 2:159: flows[0].time: 2026-11-20T12:01:00Z is outside the window`},
		{"several problems", replace(`"packets":10`, `"packets":-10,"bytes":-1`),
			"record 2 (subscription \"sub-1\") has 2 problems\n\t2:267: flows[0].packets: -10 is negative\n\t2:279: flows[0].bytes: -1 is negative"},
		{"account in a resource window", replace(`"collected"`, `"account":{"tenant":"t-1"},"collected"`),
			`record 2 (subscription "sub-1"): 2:124: account: account facts describe the subscription: send them in its window, with an empty resource (got resource "vm-1")`},
		{"null", line2(`null`), `record 2: 2:1: a window of telemetry must be a JSON object`},
		{"repeated key", replace(`"port":3333`, `"port":3333,"port":22`), `record 2: 2:240: flows[0].port: repeated key "port"`},
		{"text after an array", "[" + goodLine + "] x", `record 2: 1:285: unexpected text after the array`},
	} {
		ts, err := abuse.ParseTelemetry([]byte(tc.in))
		var de *risk.DocumentError
		if !errors.As(err, &de) || !errors.Is(err, abuse.ErrInvalidTelemetry) {
			t.Errorf("%s: error %v is not a *risk.DocumentError wrapping ErrInvalidTelemetry", tc.name, err)
			continue
		}
		if ts != nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s:\ngot  %v\nwant %s", tc.name, err, tc.want)
		}
	}
}
