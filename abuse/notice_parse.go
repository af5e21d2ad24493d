package abuse

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/riskkit/riskkit/internal/decode"
	"github.com/riskkit/riskkit/internal/yamlpos"
)

// noticeIssues collects the problems of a document of notices, and
// whether it is not valid JSON: the reader reads valid documents without
// checking them first, and malformed ones again to say where they break.
type noticeIssues struct {
	issues
	syntax bool
}

// noticeSubject names a document of notices from src in errors.
func noticeSubject(src NoticeSource) string {
	if src == "" {
		return "notices"
	}
	return "notices (" + string(src) + ")"
}

// ParseNotices reads one response body of the provider's API for source
// src, as the provider sends it:
//
//	fraud_event     the bare array GET /v1/fraudEvents returns (old or new
//	                events model), or one event
//	security_alert  a Graph list response {"value": [...]}, an array, or
//	                one alert
//	webhook         one webhook payload, or an array of them
//	audit_record    an audit records page {"items": [...]}, an array, or one
//	                record
//	enforcement     one enforcement notice or an array of them
//	abuse_report    one abuse report or an array of them
//
// Enforcement notices and abuse reports reach a partner as e-mail or portal
// text with no documented JSON; the host transcribes them into the
// camelCase fields listed in the package documentation.
//
// The reader is as tolerant as the provider's own examples require: keys
// match without regard to case (eventId, EventId, IsTest), numbers and
// booleans may be strings, activityLogs may be an array or a string holding
// one, timestamps without a zone are UTC, the 9999-12-31 "not resolved"
// sentinel and a "None" reason mean unset, and statuses, levels, reasons
// and kinds riskkit does not know are kept verbatim. Unknown fields are
// ignored; the whole document of each notice is kept in [Notice.Raw].
//
// On bad input it returns no notices and a *[risk.DocumentError] wrapping
// [ErrInvalidNotice] listing every problem with its path, keys written as
// the provider wrote them (as in "[2].eventTime" or
// "value[0].activityLogs"), and its 1-based line and column, placed by
// riskkit's positioned decoder. It never panics.
func ParseNotices(src NoticeSource, data []byte) ([]Notice, error) {
	if !isNoticeSource(src) {
		return nil, fmt.Errorf("abuse: %q is not a notice source (want one of %v): %w", src, NoticeSources(), ErrInvalidNotice)
	}
	p := noticeIssues{issues: issues{sentinel: ErrInvalidNotice}}
	start, end := skipSpace(data, 0), len(bytes.TrimRight(data, " \t\r\n"))
	var out []Notice
	if start < end {
		out = decodeBody(src, data[start:end], "", &p)
	}
	if start >= end || p.syntax {
		// Read again, value by value, to say where the JSON goes wrong.
		q := issues{sentinel: ErrInvalidNotice}
		if _, end, ok := oneValue(data, 0, &q); ok {
			q.addAt(data, skipSpace(data, end), "", "unexpected text after the document")
		}
		if q.ok() { // not reached: the value read again broke somewhere
			q.addAt(data, start, "", "invalid JSON")
		}
		return nil, q.err(noticeSubject(src), nil)
	}
	if !p.ok() {
		doc, _ := decode.Parse(data)
		p.place(doc, "", data, start)
		return nil, p.err(noticeSubject(src), nil)
	}
	return out, nil
}

// NoticeBatch is one entry of a notices file: a response body as the host
// received it from one source.
type NoticeBatch struct {
	Source NoticeSource `json:"source"`
	// Received is when the host fetched or received the body.
	Received time.Time `json:"received,omitzero"`
	// Body is the provider's response body, read by [ParseNotices].
	Body json.RawMessage `json:"body"`
}

// ParseNoticeFile reads a notices file: [NoticeBatch] objects, one after
// another (JSON Lines) or in one array, each holding one response body as
// the provider sent it. Problems are reported as [ParseNotices] reports
// them, with paths such as "[3].body[0].eventTime" counting batches from
// zero, and lines and columns in the file.
func ParseNoticeFile(data []byte) ([]Notice, error) {
	p := noticeIssues{issues: issues{sentinel: ErrInvalidNotice}}
	i := skipSpace(data, 0)
	array := i < len(data) && data[i] == '['
	if array {
		_, end, ok := oneValue(data, i, &p.issues)
		if !ok {
			return nil, p.err(noticeSubject(""), nil)
		}
		if j := skipSpace(data, end); j < len(data) {
			p.addAt(data, j, "", "unexpected text after the array")
			return nil, p.err(noticeSubject(""), nil)
		}
		i++
	}
	var out []Notice
	for n := 0; ; n++ {
		i = skipSeparators(data, i)
		if i >= len(data) || (array && data[i] == ']') {
			break
		}
		start, end, ok := oneValue(data, i, &p.issues)
		if !ok {
			return nil, p.err(noticeSubject(""), nil)
		}
		i = end
		path := "[" + strconv.Itoa(n) + "]"
		first := len(p.Issues)
		out = append(out, readBatch(data[start:end], path, &p)...)
		if len(p.Issues) > first {
			doc, _ := decode.ParseAt(data, start, end)
			p.place(doc, path, data, start)
		}
	}
	if !p.ok() {
		return nil, p.err(noticeSubject(""), nil)
	}
	return out, nil
}

// readBatch reads one batch of a notices file, the JSON value b at path.
func readBatch(b []byte, path string, p *noticeIssues) []Notice {
	if b[0] != '{' {
		p.add(path, "want a batch object with source and body")
		return nil
	}
	var batch struct {
		Source   string          `json:"source"`
		Received json.RawMessage `json:"received"`
		Body     json.RawMessage `json:"body"`
	}
	if err := json.Unmarshal(b, &batch); err != nil {
		p.add(path, "%s", jsonMessage(err))
		return nil
	}
	var src NoticeSource
	if err := src.UnmarshalText([]byte(batch.Source)); err != nil || src == "" {
		p.add(path+".source", "%q is not a notice source (want one of %v)", batch.Source, NoticeSources())
		return nil
	}
	if len(batch.Received) > 0 && string(batch.Received) != "null" {
		var rt time.Time
		if err := json.Unmarshal(batch.Received, &rt); err != nil {
			p.add(path+".received", "%s is not an RFC 3339 time", batch.Received)
			return nil
		}
	}
	if len(batch.Body) == 0 {
		p.add(path+".body", "is required")
		return nil
	}
	return decodeBody(src, batch.Body, path+".body", p)
}

// addAt records a problem at offset off of data, with no path.
func (is *issues) addAt(data []byte, off int, path, msg string) {
	n := len(is.Issues)
	is.add(path, "%s", msg)
	if len(is.Issues) > n {
		is.Issues[n].Line, is.Issues[n].Column = yamlpos.LineCol(data, off)
	}
}

// place locates the problems not yet located by their paths in doc, a
// parse of the document the paths start in after prefix; those it cannot
// place (doc is nil when the decoder cannot read what encoding/json can)
// go to the document's start, offset start of data.
func (is *issues) place(doc *decode.Document, prefix string, data []byte, start int) {
	l0, c0 := yamlpos.LineCol(data, start)
	for i := range is.Issues {
		x := &is.Issues[i]
		if x.Line != 0 {
			continue
		}
		if rel, ok := strings.CutPrefix(x.Path, prefix); ok {
			x.Line, x.Column = doc.Locate(strings.TrimPrefix(rel, "."))
		}
		if x.Line == 0 {
			x.Line, x.Column = l0, c0
		}
	}
}

// oneValue finds the JSON value that starts at data[start:] after white
// space, and returns its bounds, or records where it is malformed.
func oneValue(data []byte, start int, p *issues) (int, int, bool) {
	start = skipSpace(data, start)
	if start >= len(data) {
		p.addAt(data, len(data), "", "no JSON document")
		return 0, 0, false
	}
	dec := json.NewDecoder(bytes.NewReader(data[start:]))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		p.addAt(data, syntaxOffset(data, start, err), "", "invalid JSON: "+jsonSyntaxMessage(err))
		return 0, 0, false
	}
	return start, start + int(dec.InputOffset()), true
}

// decodeBody decodes the valid JSON value body of source src.
func decodeBody(src NoticeSource, body []byte, path string, p *noticeIssues) []Notice {
	switch body[0] {
	case '[':
		return decodeArray(src, body, path, p)
	case '{':
		var top map[string]json.RawMessage
		if err := json.Unmarshal(body, &top); isSyntax(err) {
			p.syntax = true
			return nil
		} else if err == nil {
			for _, wrap := range []string{"value", "items"} {
				if k, v, ok := lookupKey(top, wrap); ok && len(v) > 0 && v[0] == '[' {
					return decodeArray(src, v, path+dotted(path, k), p)
				}
			}
		}
		if n, ok := decodeOne(src, body, path, p); ok {
			return []Notice{n}
		}
		return nil
	}
	if !json.Valid(body) {
		p.syntax = true
		return nil
	}
	p.add(path, "want an object or an array of them")
	return nil
}

func dotted(path, key string) string {
	if path == "" || key == "" {
		return key
	}
	return "." + key
}

// decodeArray decodes the elements of the valid JSON array body.
func decodeArray(src NoticeSource, body []byte, path string, p *noticeIssues) []Notice {
	var elems []json.RawMessage
	if err := json.Unmarshal(body, &elems); err != nil {
		p.syntax = p.syntax || isSyntax(err)
		p.add(path, "%s", jsonMessage(err))
		return nil
	}
	out := make([]Notice, 0, len(elems))
	for n, raw := range elems {
		ep := path + "[" + strconv.Itoa(n) + "]"
		if raw[0] != '{' {
			p.add(ep, "want an object")
		} else if no, ok := decodeOne(src, raw, ep, p); ok {
			out = append(out, no)
		}
	}
	return out
}

// lookupKey finds key in m without regard to case. When several keys
// match, the one that sorts first wins, so that the choice does not depend
// on map order.
func lookupKey(m map[string]json.RawMessage, key string) (string, json.RawMessage, bool) {
	if v, ok := m[key]; ok {
		return key, v, true
	}
	best, found := "", false
	for k := range m {
		if strings.EqualFold(k, key) && (!found || k < best) {
			best, found = k, true
		}
	}
	return best, m[best], found
}

// noticeReader reads the fields of one notice object leniently and
// records problems at their paths.
type noticeReader struct {
	path   string
	fields map[string]json.RawMessage
	lower  map[string]string
	p      *issues
	bad    bool
}

// problem records msg at the value of key.
func (r *noticeReader) problem(key, msg string) {
	r.bad = true
	r.p.add(r.path+dotted(r.path, key), "%s", msg)
}

// raw returns the first of names present with a non-null value.
func (r *noticeReader) raw(names ...string) (string, json.RawMessage) {
	if r.lower == nil {
		// One index of the keys ignoring case, so that a lookup is not a
		// scan; of keys alike but for case, the one that sorts first wins.
		r.lower = make(map[string]string, len(r.fields))
		for k := range r.fields {
			l := strings.ToLower(k)
			if old, ok := r.lower[l]; !ok || k < old {
				r.lower[l] = k
			}
		}
	}
	for _, n := range names {
		k, ok := n, false
		if _, ok = r.fields[n]; !ok {
			k, ok = r.lower[strings.ToLower(n)]
		}
		if v := r.fields[k]; ok && string(v) != "null" {
			return k, v
		}
	}
	return "", nil
}

// text returns a scalar as text: a string's content, or a number's or
// boolean's literal.
func (r *noticeReader) text(names ...string) (string, string) {
	k, v := r.raw(names...)
	if v == nil {
		return "", ""
	}
	s, ok := scalarText(v)
	if !ok {
		r.problem(k, "want a string, found "+jsonKind(v))
	}
	return k, s
}

func (r *noticeReader) str(names ...string) string {
	_, s := r.text(names...)
	return strings.TrimSpace(s)
}

func scalarText(v json.RawMessage) (string, bool) {
	switch v[0] {
	case '"':
		var s string
		if json.Unmarshal(v, &s) != nil {
			return "", false
		}
		return s, true
	case '{', '[':
		return "", false
	}
	return string(v), true
}

func jsonKind(v json.RawMessage) string {
	switch v[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	}
	return "a number"
}

// integer reads a whole number, written as a number or in a string.
func (r *noticeReader) integer(names ...string) int64 {
	k, s := r.text(names...)
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != float64(int64(f)) || f < 0 {
			r.problem(k, fmt.Sprintf("%q is not a whole number", s))
			return 0
		}
		n = int64(f)
	}
	if n < 0 {
		r.problem(k, fmt.Sprintf("%d is negative", n))
		return 0
	}
	return n
}

// boolean reads true or false, written as a boolean or in a string.
func (r *noticeReader) boolean(names ...string) bool {
	k, s := r.text(names...)
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	b, err := strconv.ParseBool(strings.ToLower(s))
	if err != nil {
		r.problem(k, fmt.Sprintf("%q is not true or false", s))
	}
	return b
}

// when reads a timestamp; see parseNoticeTime.
func (r *noticeReader) when(names ...string) time.Time {
	k, s := r.text(names...)
	t, err := parseNoticeTime(s)
	if err != nil {
		r.problem(k, err.Error())
	}
	return t
}

// noticeTimeLayouts are the forms the provider's examples use: RFC 3339
// with a zone or an offset, the same without a zone, and a bare date.
var noticeTimeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999", "2006-01-02"}

// parseNoticeTime parses a provider timestamp. One without a zone is UTC.
// The "not resolved" sentinel (year 9999) and the .NET minimum (year 1)
// mean no time and give the zero time.
func parseNoticeTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, l := range noticeTimeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			if t.Year() >= 9999 || t.Year() <= 1 {
				return time.Time{}, nil
			}
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date-time such as 2021-12-08T00:25:45.69 or 2023-05-16T10:00:00Z", s)
}

// details reads an object of names to values; values that are not strings
// are kept as compact JSON text.
func (r *noticeReader) details(into map[string]string, names ...string) {
	k, v := r.raw(names...)
	if v == nil {
		return
	}
	var m map[string]json.RawMessage
	if v[0] != '{' || json.Unmarshal(v, &m) != nil {
		r.problem(k, "want an object of names to values, found "+jsonKind(v))
		return
	}
	for name, val := range m {
		if s, ok := scalarText(val); ok && val[0] == '"' {
			into[name] = s
		} else if string(val) != "null" {
			var b bytes.Buffer
			if json.Compact(&b, val) == nil {
				into[name] = b.String()
			}
		}
	}
}

// array reads an array of objects, also when it is carried as a string
// holding the array's JSON text (as fraud events carry activityLogs).
func (r *noticeReader) array(names ...string) (string, []map[string]json.RawMessage) {
	k, v := r.raw(names...)
	if v == nil {
		return "", nil
	}
	if v[0] == '"' {
		var s string
		if json.Unmarshal(v, &s) != nil {
			r.problem(k, "invalid string")
			return k, nil
		}
		if strings.TrimSpace(s) == "" {
			return k, nil
		}
		v = json.RawMessage(s)
	}
	var out []map[string]json.RawMessage
	if err := json.Unmarshal(v, &out); err != nil || v[0] != '[' {
		r.problem(k, "want an array of objects (or a string holding one)")
		return k, nil
	}
	return k, out
}

// sub returns a reader over one element of an array field, which reports
// its problems at the field.
func (r *noticeReader) sub(key string, i int, m map[string]json.RawMessage) *noticeReader {
	return &noticeReader{path: r.path + dotted(r.path, key) + "[" + strconv.Itoa(i) + "]", fields: m, p: r.p}
}

// decodeOne decodes the valid JSON object obj as a notice from src.
func decodeOne(src NoticeSource, obj []byte, path string, p *noticeIssues) (Notice, bool) {
	r := &noticeReader{path: path, p: &p.issues}
	if err := json.Unmarshal(obj, &r.fields); err != nil {
		p.syntax = p.syntax || isSyntax(err)
		p.add(path, "%s", jsonMessage(err))
		return Notice{}, false
	}
	n := Notice{Source: src, Details: map[string]string{}}
	switch src {
	case FromFraudEvent, FromSecurityAlert:
		readAlert(r, &n)
	case FromWebhook:
		readWebhook(r, &n)
	case FromAuditRecord:
		readAuditRecord(r, &n)
	case FromEnforcement, FromAbuseReport:
		readReport(r, &n)
	}
	if n.ID == "" {
		r.problem("", "the notice has no id")
	}
	if n.DetectedAt.IsZero() && !r.bad {
		r.problem("", "the notice has no detection time")
	}
	if opensCase(src) && n.Subscription == "" && n.CustomerTenant == "" && !r.bad {
		r.problem("", "the notice names neither a subscription nor a customer tenant")
	}
	if r.bad {
		return Notice{}, false
	}
	if len(n.Details) == 0 {
		n.Details = nil
	}
	n.Raw = slices.Clone(obj)
	return n, true
}

// readAlert reads a fraud event or a security alert: the two carry the
// same facts under different names.
func readAlert(r *noticeReader, n *Notice) {
	n.ID = r.str("eventId", "id")
	n.Kind = r.str("eventType", "alertType")
	n.Title = r.str("displayName")
	n.Description = r.str("description")
	_ = n.Severity.UnmarshalText([]byte(r.str("severity")))
	_ = n.Confidence.UnmarshalText([]byte(r.str("confidenceLevel", "confidence")))
	n.PartnerTenant = r.str("partnerTenantId")
	n.CustomerTenant = r.str("customerTenantId")
	n.CustomerName = r.str("customerFriendlyName", "customerName")
	n.ResellerTenant = r.str("valueAddedResellerTenantId")
	n.Subscription = r.str("subscriptionId")
	n.Offer = r.str("catalogOfferId")
	n.DetectedAt = r.when("eventTime", "detectedDateTime")
	n.FirstObserved = r.when("firstObserved", "firstObservedDateTime", "firstOccurrence")
	if n.FirstObserved.IsZero() {
		n.FirstObserved = r.when("firstOccurrence")
	}
	n.LastObserved = r.when("lastObserved", "lastObservedDateTime", "lastOccurrence")
	if n.LastObserved.IsZero() {
		n.LastObserved = r.when("lastOccurrence")
	}
	n.HitCount = r.integer("hitCount")
	n.Test = r.boolean("isTest")
	_ = n.Status.UnmarshalText([]byte(r.str("eventStatus", "status")))
	_ = n.ResolvedReason.UnmarshalText([]byte(r.str("resolvedReason")))
	n.ResolvedAt = r.when("resolvedOn", "resolvedOnDateTime")
	n.ResolvedBy = r.str("resolvedBy")
	r.details(n.Details, "additionalDetails")
	for _, k := range []string{"entityId", "entityName", "entityUrl", "serviceName", "resourceName", "resourceGroupName",
		"country", "subscriptionName", "subscriptionType", "partnerFriendlyName", "valueAddedResellerFriendlyName"} {
		if v := r.str(k); v != "" {
			n.Details[k] = v
		}
	}
	key, rs := r.array("affectedResources")
	for i, m := range rs {
		s := r.sub(key, i, m)
		res := AffectedResource{ID: s.str("azureResourceId", "resourceId", "id"), Type: s.str("type", "resourceType")}
		if res.ID == "" {
			s.problem("", "the affected resource has no id")
			continue
		}
		n.Resources = append(n.Resources, res)
	}
	if len(n.Resources) == 0 {
		// The old events model names one resource by name and service.
		if name := r.str("resourceName"); name != "" {
			n.Resources = []AffectedResource{{ID: name, Type: r.str("serviceName")}}
		}
	}
	key, logs := r.array("activityLogs")
	for i, m := range logs {
		s := r.sub(key, i, m)
		var c StatusChange
		_ = c.From.UnmarshalText([]byte(s.str("statusFrom")))
		_ = c.To.UnmarshalText([]byte(s.str("statusTo")))
		c.By = s.str("updatedBy")
		c.At = s.when("dateTime", "updatedDateTime")
		r.bad = r.bad || s.bad
		n.History = append(n.History, c)
	}
	slices.SortStableFunc(n.History, func(a, b StatusChange) int { return a.At.Compare(b.At) })
}

// readWebhook reads a webhook payload. Its id is the event name and the
// time of the change; an azure-fraud-event-detected payload's ResourceUri
// names the subscription and the status in its query.
func readWebhook(r *noticeReader, n *Notice) {
	n.Kind = r.str("EventName")
	n.Pointer = r.str("ResourceUri")
	n.DetectedAt = r.when("ResourceChangeUtcDate")
	if name := r.str("ResourceName"); name != "" {
		n.Details["ResourceName"] = name
	}
	if audit := r.str("AuditUri"); audit != "" {
		n.Details["AuditUri"] = audit
	}
	if n.Kind == "" {
		r.problem("", "the webhook payload has no EventName")
		return
	}
	if !n.DetectedAt.IsZero() {
		n.ID = n.Kind + "@" + n.DetectedAt.Format(time.RFC3339Nano)
	}
	if u, err := url.Parse(n.Pointer); err == nil {
		for k, v := range u.Query() {
			switch {
			case strings.EqualFold(k, "SubscriptionId") && len(v) > 0:
				n.Subscription = v[0]
			case strings.EqualFold(k, "EventStatus") && len(v) > 0:
				_ = n.Status.UnmarshalText([]byte(v[0]))
			}
		}
	}
}

// readAuditRecord reads a Partner Center audit record.
func readAuditRecord(r *noticeReader, n *Notice) {
	n.ID = r.str("id")
	n.Kind = r.str("operationType")
	n.PartnerTenant = r.str("partnerId")
	n.CustomerTenant = r.str("customerId")
	n.CustomerName = r.str("customerName")
	n.Actor = r.str("userPrincipalName")
	n.ResourceType = r.str("resourceType")
	n.OldValue = r.str("resourceOldValue")
	n.NewValue = r.str("resourceNewValue")
	n.DetectedAt = r.when("operationDate")
	for _, k := range []string{"operationStatus", "applicationId", "originalCorrelationId"} {
		if v := r.str(k); v != "" {
			n.Details[k] = v
		}
	}
	key, kv := r.array("customizedData")
	for i, m := range kv {
		s := r.sub(key, i, m)
		if k := s.str("key"); k != "" {
			n.Details[k] = s.str("value")
		}
		r.bad = r.bad || s.bad
	}
	if v, ok := n.Detail("SubscriptionId"); ok {
		n.Subscription = v
	}
}

// readReport reads an enforcement notice or an abuse report, in the
// camelCase fields the package documentation lists.
func readReport(r *noticeReader, n *Notice) {
	n.ID = r.str("id", "caseId", "reportId")
	n.Kind = r.str("violation", "incidentType", "abuseType", "kind")
	n.Title = r.str("title", "displayName")
	n.Description = r.str("description", "message")
	_ = n.Severity.UnmarshalText([]byte(r.str("severity")))
	_ = n.Confidence.UnmarshalText([]byte(r.str("confidenceLevel", "confidence")))
	n.PartnerTenant = r.str("partnerTenantId")
	n.CustomerTenant = r.str("customerTenantId")
	n.Subscription = r.str("subscriptionId")
	n.DetectedAt = r.when("noticeDateTime", "reportedDateTime", "detectedDateTime")
	n.FirstObserved = r.when("firstObservedDateTime", "firstObserved")
	n.LastObserved = r.when("lastObservedDateTime", "lastObserved")
	n.Test = r.boolean("isTest")
	_ = n.Status.UnmarshalText([]byte(r.str("status")))
	if a := r.str("enforcementAction", "action"); a != "" {
		n.Details["enforcementAction"] = a
	}
	for _, list := range []string{"resourceIds", "ips", "urls"} {
		k, v := r.raw(list)
		if v == nil {
			continue
		}
		var ss []string
		if json.Unmarshal(v, &ss) != nil {
			r.problem(k, "want an array of strings")
			continue
		}
		for _, s := range ss {
			if s = strings.TrimSpace(s); s == "" {
				continue
			}
			if list == "resourceIds" {
				n.Resources = append(n.Resources, AffectedResource{ID: s})
			} else {
				n.Details[list] = strings.TrimPrefix(n.Details[list]+","+s, ",")
			}
		}
	}
}
