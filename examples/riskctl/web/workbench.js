// The workbench page: checks the policy as it is edited, and runs tests,
// backtests and explanations through the riskctl serve API.
"use strict";

const $ = (id) => document.getElementById(id);

async function call(path, body) {
  const res = await fetch(path, {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
  if (!res.ok) throw new Error(path + ": " + res.status + " " + (await res.text()));
  const out = await res.json();
  if (out.error) throw new Error(out.error);
  return out;
}

function text(tag, s, cls) {
  const el = document.createElement(tag);
  el.textContent = s;
  if (cls) el.className = cls;
  return el;
}

// The gutter numbers the lines and marks those with problems.
function drawGutter(bad) {
  const n = $("policy").value.split("\n").length;
  const g = $("gutter");
  g.replaceChildren();
  for (let i = 1; i <= n; i++) {
    const line = text("div", String(i), bad.has(i) ? "bad" : "");
    line.dataset.line = i;
    g.appendChild(line);
  }
  g.scrollTop = $("policy").scrollTop;
}

let problemLines = new Set();

// showCheck shows a compile result: the problems, each at its line and
// column, and the status line.
function showCheck(c) {
  const list = $("problems");
  list.replaceChildren();
  problemLines = new Set();
  for (const p of c.problems || []) {
    const where = p.line ? p.line + ":" + p.column : "";
    const li = text("li", (where ? where + ": " : "") + (p.rule_id ? "rule " + p.rule_id + ": " : "") + p.message);
    li.dataset.line = p.line || 0;
    li.dataset.column = p.column || 0;
    li.addEventListener("click", () => goTo(p.line, p.column));
    list.appendChild(li);
    if (p.line) problemLines.add(p.line);
  }
  drawGutter(problemLines);
  const status = $("status");
  if (c.ok) {
    status.textContent = "ok: " + c.kind + " policy " + c.policy_id + " version " + c.policy_version + ", " + c.rules + " rules";
    status.className = "ok";
  } else {
    status.textContent = c.problems.length + (c.problems.length === 1 ? " problem" : " problems");
    status.className = "error";
  }
  document.body.dataset.checked = String((Number(document.body.dataset.checked) || 0) + 1);
}

// goTo puts the cursor at a line and column of the policy.
function goTo(line, column) {
  if (!line) return;
  const ta = $("policy");
  const lines = ta.value.split("\n");
  let pos = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) pos += lines[i].length + 1;
  pos += Math.max(0, (column || 1) - 1);
  ta.focus();
  ta.setSelectionRange(pos, pos);
}

let checkTimer = null;
let checkSeq = 0;

async function check() {
  const seq = ++checkSeq;
  try {
    const c = await call("/api/check", {policy: $("policy").value});
    if (seq === checkSeq) showCheck(c); // answers to older edits are stale
  } catch (e) {
    $("status").textContent = e.message;
    $("status").className = "error";
  }
}

async function runTests() {
  const out = $("test-results");
  out.replaceChildren();
  $("test-summary").textContent = "running…";
  try {
    const r = await call("/api/test", {policy: $("policy").value, tests: $("tests").value});
    showCheck(r.check);
    if (!r.results) { $("test-summary").textContent = "the policy does not compile"; return; }
    let failed = 0;
    for (const t of r.results) {
      if (!t.passed) failed++;
      const li = text("li", (t.passed ? "PASS  " : "FAIL  ") + t.name + (t.passed ? "" : " (line " + t.line + "): " + t.decision), t.passed ? "ok" : "error");
      if (t.diff) li.appendChild(text("pre", t.diff));
      out.appendChild(li);
    }
    $("test-summary").textContent = (r.results.length - failed) + " passed, " + failed + " failed";
  } catch (e) {
    $("test-summary").textContent = e.message;
  }
}

async function runBacktest() {
  const status = $("backtest-status");
  status.textContent = "running…";
  const started = performance.now();
  try {
    const r = await call("/api/backtest", {policy: $("policy").value, data: $("data").value, compare: $("compare").value});
    showCheck(r.check);
    if (!r.html) { status.textContent = "the policy does not compile"; return; }
    // The fragment is the server's own rendering of the report.
    $("report-area").innerHTML = r.html;
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    status.textContent = r.report.inputs + " inputs in " + secs + " s" + (r.warnings ? "; " + r.warnings.trim().split("\n").length + " lines skipped" : "");
    document.body.dataset.backtests = String((Number(document.body.dataset.backtests) || 0) + 1);
  } catch (e) {
    status.textContent = e.message;
  }
}

async function explain() {
  const out = $("explanation");
  out.textContent = "…";
  try {
    const r = await call("/api/explain", {policy: $("policy").value, input: $("input").value});
    showCheck(r.check);
    out.textContent = r.text || "the policy does not compile";
  } catch (e) {
    out.textContent = e.message;
  }
}

window.addEventListener("DOMContentLoaded", () => {
  const ta = $("policy");
  ta.addEventListener("input", () => {
    drawGutter(problemLines);
    clearTimeout(checkTimer);
    checkTimer = setTimeout(check, 250);
  });
  ta.addEventListener("scroll", () => { $("gutter").scrollTop = ta.scrollTop; });
  $("run-tests").addEventListener("click", runTests);
  $("run-backtest").addEventListener("click", runBacktest);
  $("explain").addEventListener("click", explain);
  check();
});
