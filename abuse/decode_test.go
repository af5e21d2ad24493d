package abuse_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/riskkit/riskkit/abuse"
)

const goodLine = `{"subscription":"sub-1","resource":"vm-1","window":{"start":"2026-11-20T10:00:00Z","end":"2026-11-20T11:00:00Z"},` +
	`"collected":["flows","dns"],"flows":[{"time":"2026-11-20T10:01:00Z","direction":"outbound","remote":"203.0.113.7","port":3333,"protocol":"tcp","packets":10,"flows":1}]}`

func TestDecodeTelemetry(t *testing.T) {
	ts, err := abuse.DecodeTelemetry([]byte(goodLine + "\n\n" + goodLine + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 2 || ts[1].Flows[0].Port != 3333 || ts[0].Flows[0].Remote != ip("203.0.113.7") {
		t.Fatalf("decoded %+v", ts)
	}
	arr, err := abuse.DecodeTelemetry([]byte("[\n" + goodLine + ",\n" + goodLine + "\n]\n"))
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
	back, err := abuse.DecodeTelemetry(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmpDiff(ts, back); diff != "" {
		t.Errorf("telemetry does not round-trip (-before +after):\n%s", diff)
	}
	if ts, err := abuse.DecodeTelemetry([]byte(" \n")); err != nil || len(ts) != 0 {
		t.Errorf("empty input: %v, %v; want no windows and no error", ts, err)
	}
}

func TestDecodeTelemetryErrors(t *testing.T) {
	line2 := func(s string) string { return goodLine + "\n" + s + "\n" }
	replace := func(old, new string) string { return line2(strings.Replace(goodLine, old, new, 1)) }
	for _, tc := range []struct {
		name, in, want string
	}{
		{"syntax", line2(`{"subscription": "sub-1",}`), `record 2: 2:26: invalid JSON: invalid character '}'`},
		{"truncated", line2(`{"subscription": "sub-1"`), `record 2: 3:1: invalid JSON: unexpected end of input`},
		{"unknown field", replace(`"port":3333`, `"port":3333,"colour":"red"`), `record 2: 2:240: flows[0].colour: unknown field`},
		{"bad enum", replace(`"outbound"`, `"sideways"`), `record 2: 2:194: flows[0].direction: unknown direction "sideways" (want inbound, outbound)`},
		{"bad address", replace(`"203.0.113.7"`, `"203.0.113"`), `record 2: 2:214: flows[0].remote: ParseAddr("203.0.113"): IPv4 address too short`},
		{"port too large", replace(`3333`, `70000`), `record 2: 2:235: flows[0].port: want an integer from 0 to 65535, found number 70000`},
		{"bad time", replace(`"2026-11-20T10:01:00Z"`, `"yesterday"`), `record 2: 2:159: flows[0].time: "yesterday" is not an RFC 3339 time`},
		{"wrong type", replace(`"collected":["flows","dns"]`, `"collected":"flows"`), `record 2: 2:126: collected: want an array, found string`},
		{"object for a list", replace(`"collected":["flows","dns"]`, `"collected":{"a":1}`), `record 2: 2:126: collected: want an array, found an object`},
		{"unknown source", replace(`"dns"]`, `"dna"]`), `record 2: 2:135: collected[1]: unknown telemetry source "dna"`},
		{"not an object", line2(`[1]`), `record 2: 2:1: want an object, found an array`},
		{"invalid after decoding", replace(`"2026-11-20T10:01:00Z"`, `"2026-11-20T12:01:00Z"`),
			`record 2 (subscription "sub-1"): 2:159: flows[0].time: 2026-11-20T12:01:00Z is outside the window`},
		{"several problems", replace(`"packets":10`, `"packets":-10,"bytes":-1`),
			"record 2 (subscription \"sub-1\") has 2 problems\n\t2:267: flows[0].packets: -10 is negative\n\t2:279: flows[0].bytes: -1 is negative"},
		{"account in a resource window", replace(`"collected"`, `"account":{"tenant":"t-1"},"collected"`),
			`record 2 (subscription "sub-1"): 2:124: account: account facts describe the subscription: send them in its window, with an empty resource (got resource "vm-1")`},
		{"null", line2(`null`), `record 2: 2:1: a window of telemetry must be a JSON object`},
		{"text after an array", "[" + goodLine + "] x", `record 2: 1:285: unexpected text after the array`},
	} {
		ts, err := abuse.DecodeTelemetry([]byte(tc.in))
		var te *abuse.TelemetryError
		if !errors.As(err, &te) {
			t.Errorf("%s: error %v is not a *TelemetryError", tc.name, err)
			continue
		}
		if ts != nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s:\ngot  %v\nwant %s", tc.name, err, tc.want)
		}
	}
}
