package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func newTestWorkbench(t *testing.T) *httptest.Server {
	t.Helper()
	wb, err := newWorkbench(&env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard},
		"embedded:checkout.yaml", "embedded:checkout_tests.yaml", nil, []string{"testdata/policy.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(wb)
	t.Cleanup(srv.Close)
	return srv
}

func post(t *testing.T, srv *httptest.Server, path string, req request) map[string]any {
	t.Helper()
	body, _ := json.Marshal(req)
	res, err := http.Post(srv.URL+path, "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return out
}

func TestWorkbenchAPI(t *testing.T) {
	srv := newTestWorkbench(t)
	broken := "id: x\nversion: \"1\"\noutcomes: [block, pass]\nrules:\n  - id: r\n    when: txn.amuont > 1\n    score: 1\n    reason: R\n"
	for _, tt := range []struct {
		name, path string
		req        request
		want       string // in the JSON answer
	}{
		{"problem at its line and column", "/api/check", request{Policy: broken},
			`"problems":[{"column":14,"file":"policy","line":6,"message":"undefined field 'amuont'","rule_id":"r"}]`},
		{"a policy that compiles", "/api/check", request{Policy: "id: x\nversion: \"1\"\noutcomes: [block, pass]\nrules: []\n"}, `"ok":true`},
		{"only offered data is read", "/api/backtest", request{Policy: "id: x\nversion: \"1\"\noutcomes: [block, pass]\nrules: []\n", Data: "/etc/passwd"},
			`"error":"no data file \"/etc/passwd\"`},
		{"only offered policies are compared", "/api/backtest", request{Policy: "id: x\nversion: \"1\"\noutcomes: [block, pass]\nrules: []\n",
			Data: "embedded:transactions.jsonl", Compare: "/etc/passwd"}, `"error":"no policy \"/etc/passwd\"`},
		{"backtest of a policy with problems answers them", "/api/backtest", request{Policy: broken, Data: "embedded:transactions.jsonl"}, `"line":6`},
		{"compare with a file offered", "/api/backtest", request{Policy: "id: x\nversion: \"1\"\noutcomes: [reject, review, challenge, approve]\nrules: []\n",
			Data: "embedded:transactions.jsonl", Compare: "testdata/policy.yaml"}, `"changed":`},
		{"explain a bad input", "/api/explain", request{Policy: "id: x\nversion: \"1\"\noutcomes: [block, pass]\nrules: []\n", Input: `{"txn": 5}`}, `"error":`},
		{"tests that do not parse", "/api/test", request{Policy: "id: x\nversion: \"1\"\noutcomes: [block, pass]\nrules: []\n", Tests: "tests: 5"}, `"error":"test cases:`},
	} {
		out := post(t, srv, tt.path, tt.req)
		b, _ := json.Marshal(out)
		if !strings.Contains(string(b), tt.want) {
			t.Errorf("%s: %s answered %.400s; want %s", tt.name, tt.path, b, tt.want)
		}
	}
	res, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(page), "id: checkout") || !strings.Contains(res.Header.Get("Content-Security-Policy"), "default-src 'self'") {
		t.Errorf("the page lacks the policy or its content security policy")
	}
	for _, asset := range []string{"/web/workbench.js", "/web/style.css"} {
		if res, err := http.Get(srv.URL + asset); err != nil || res.StatusCode != 200 {
			t.Errorf("%s: %v %v", asset, err, res.Status)
		}
	}
}

func TestServeRefusesOutsideAddresses(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":8080", "example.com:80"} {
		code, _, stderr := riskctl(t, "", "serve", "-addr", addr)
		if code != 2 || !strings.Contains(stderr, "loopback") {
			t.Errorf("serve -addr %s: exit %d, %s", addr, code, stderr)
		}
	}
}
