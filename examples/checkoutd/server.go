package main

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/riskkit/riskkit/onboarding"
	"github.com/riskkit/riskkit/risk"
)

// server answers the HTTP API. Its handlers read the policies once per
// request from the store, so a reload never changes a request halfway.
type server struct {
	store   *store
	metrics *metrics
	log     *slog.Logger
	now     func() time.Time
	// maxBody bounds a request body in bytes; a larger one is refused with
	// 413 before it is decoded.
	maxBody int64
}

// routes are the paths the service answers, as metric labels.
var routes = []string{"/v1/checkout", "/v1/onboarding/assess", "/v1/status", "/healthz", "/metrics"}

func (s *server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/v1/checkout", only(http.MethodPost, s.checkout))
	mux.Handle("/v1/onboarding/assess", only(http.MethodPost, s.assess))
	mux.Handle("/v1/status", only(http.MethodGet, s.status))
	mux.Handle("/healthz", only(http.MethodGet, s.healthz))
	mux.Handle("/metrics", only(http.MethodGet, s.serveMetrics))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not_found", "no such endpoint: "+r.URL.Path, nil)
	})
	return s.instrument(mux)
}

// only answers 405 with the allowed method for any other method.
func only(method string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method && !(method == http.MethodGet && r.Method == http.MethodHead) {
			w.Header().Set("Allow", method)
			writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", r.Method+" is not allowed here; use "+method, nil)
			return
		}
		h(w, r)
	})
}

// statusWriter remembers the status code a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// instrument counts every request by route and status and logs it at
// debug level; decisions are logged by their handlers.
func (s *server) instrument(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		route := "other"
		for _, p := range routes {
			if r.URL.Path == p {
				route = p
			}
		}
		if sw.code == 0 {
			sw.code = http.StatusOK
		}
		s.metrics.request(route, sw.code)
		s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", sw.code, "duration", time.Since(start))
	})
}

// apiError is the body of every error response.
type apiError struct {
	Error errorBody `json:"error"`
}

type errorBody struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
	// Issues locate what is wrong in the request body: the field path,
	// and the line and column for malformed JSON.
	Issues []risk.Issue `json:"issues,omitempty"`
}

func writeError(w http.ResponseWriter, status int, code, msg string, issues []risk.Issue) {
	writeJSON(w, status, apiError{errorBody{Status: status, Code: code, Message: msg, Issues: issues}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error":{"status":500,"code":"internal","message":"cannot encode the response"}}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// readBody reads a JSON request body of at most maxBody bytes, or answers
// the error and returns false.
func (s *server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			writeError(w, http.StatusUnsupportedMediaType, "unsupported_media_type", "send the body as application/json, not "+ct, nil)
			return nil, false
		}
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeError(w, http.StatusRequestEntityTooLarge, "body_too_large", "the body is over "+strconv.FormatInt(s.maxBody, 10)+" bytes", nil)
		return nil, false
	case err != nil:
		writeError(w, http.StatusBadRequest, "unreadable_body", "cannot read the body: "+err.Error(), nil)
		return nil, false
	}
	return b, true
}

// checkoutResponse is a checkout decision with its reason codes listed on
// their own, for hosts that only act on those.
type checkoutResponse struct {
	risk.Decision
	Reasons []string `json:"reasons"`
}

func (s *server) checkout(w http.ResponseWriter, r *http.Request) {
	body, ok := s.readBody(w, r)
	if !ok {
		return
	}
	in, err := risk.DecodeCheckout(body)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid_checkout", "the body is not a valid checkout", documentIssues(err))
		return
	}
	p := s.store.current()
	start := time.Now()
	d := p.checkout.Evaluate(&in)
	took := time.Since(start)
	s.metrics.decision("checkout", &d, took)
	s.log.Info("checkout decided", "txn", in.Transaction.ID, "customer", in.Customer.ID, "decision", d, "took", took)
	writeJSON(w, http.StatusOK, checkoutResponse{Decision: d, Reasons: d.Reasons()})
}

func (s *server) assess(w http.ResponseWriter, r *http.Request) {
	p := s.store.current()
	if p.onboarding == nil {
		writeError(w, http.StatusServiceUnavailable, "no_policy", "no onboarding policy is loaded (onboarding.yaml in the policy directory)", nil)
		return
	}
	q := r.URL.Query()
	loc := time.UTC
	if tz := q.Get("tz"); tz != "" {
		l, err := time.LoadLocation(tz)
		if err != nil {
			writeError(w, http.StatusBadRequest, "invalid_query", "tz: not an IANA time zone such as Europe/Berlin", []risk.Issue{{Path: "tz", Msg: err.Error()}})
			return
		}
		loc = l
	}
	now := s.now()
	if at := q.Get("at"); at != "" {
		t, err := time.Parse(time.RFC3339, at)
		if err != nil {
			writeError(w, http.StatusBadRequest, "invalid_query", "at: not an RFC 3339 time such as 2026-11-25T10:00:00Z", []risk.Issue{{Path: "at", Msg: err.Error()}})
			return
		}
		now = t
	}
	body, ok := s.readBody(w, r)
	if !ok {
		return
	}
	a, err := onboarding.DecodeApplicant(body)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid_applicant", "the body is not a valid applicant", documentIssues(err))
		return
	}
	assessor := p.onboarding
	if loc != time.UTC {
		// An assessor is bound to the customer's time zone, in which the
		// monthly cap's periods begin; building one is cheap next to the
		// compiled policy it shares.
		if assessor, err = onboarding.NewAssessor(p.onboardingPolicy, onboarding.Options{Location: loc}); err != nil {
			writeError(w, http.StatusBadRequest, "invalid_query", "tz: "+err.Error(), []risk.Issue{{Path: "tz", Msg: err.Error()}})
			return
		}
	}
	start := time.Now()
	res, err := assessor.Evaluate(onboarding.Assessment{}, onboarding.Event{Applicant: &a}, now)
	as := res.Assessment
	took := time.Since(start)
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, "cannot_assess", err.Error(), documentIssues(err))
		return
	}
	s.metrics.decision("onboarding", &as.Decision, took)
	s.log.Info("applicant assessed", "applicant", a.ID, "outcome", string(as.Outcome), "decision", as.Decision, "took", took)
	writeJSON(w, http.StatusOK, as)
}

// documentIssues are the located problems of a riskkit decoder's error;
// any other error becomes one issue with its text.
func documentIssues(err error) []risk.Issue {
	var de *risk.DocumentError
	if errors.As(err, &de) {
		return de.Issues
	}
	return []risk.Issue{{Msg: err.Error()}}
}

func (s *server) status(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.store.currentStatus())
}

func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	p := s.store.current()
	if p == nil || p.checkout == nil {
		writeError(w, http.StatusServiceUnavailable, "no_policy", "no checkout policy loaded", nil)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "policies": p.kinds()})
}

func (s *server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	s.metrics.write(w, s.store.currentStatus())
}
