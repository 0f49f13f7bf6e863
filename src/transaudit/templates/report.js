(function () {
  "use strict";
  // Digest text reaches this script only as data: it is read with JSON.parse and written with
  // textContent or into attributes, never through innerHTML, so it cannot become markup.
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var prefix = "transaudit:" + location.pathname + ":";
  var DECISION_LABEL = { confirmed: "confirmed", not_a_mistake: "not a mistake" };
  var $ = function (id) { return document.getElementById(id); };
  var all = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };

  var findingEls = all("[data-finding-id]");
  var items = all(".item");
  var searchText = new Map();

  function say(text) { $("status").textContent = text; }

  // ---- triage (kept in localStorage, keyed by report path and finding id) ----
  function loadDecision(id) {
    try {
      var v = window.localStorage.getItem(prefix + id);
      if (v === "" || DECISION_LABEL.hasOwnProperty(v)) return v;
    } catch (e) { /* storage disabled: fall back to the decisions shipped with the report */ }
    return data.decisions[id] || "";
  }
  function saveDecision(id, value) {
    try {
      window.localStorage.setItem(prefix + id, value);
    } catch (e) { say("This browser does not keep decisions (local storage is off); export them before closing."); }
  }
  function showDecision(el, value) {
    el.setAttribute("data-triage", value);
    all("button.triage", el).forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-decision") === value ? "true" : "false");
    });
    el.querySelector(".triage-state").textContent = value ? "marked " + DECISION_LABEL[value] : "";
  }
  findingEls.forEach(function (el) { showDecision(el, loadDecision(el.getAttribute("data-finding-id"))); });

  // ---- copy a ready-to-paste report ----
  function copyFallback(text) {
    var buf = $("copy-buffer");
    buf.value = text;
    buf.focus();
    buf.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    return ok;
  }
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(function () { return true; },
        function () { return copyFallback(text); });
    }
    return Promise.resolve(copyFallback(text));
  }

  document.addEventListener("click", function (ev) {
    var button = ev.target.closest("button");
    if (!button) return;
    var el = button.closest("[data-finding-id]");
    if (!el) return;
    var id = el.getAttribute("data-finding-id");
    if (button.classList.contains("copy")) {
      var finding = data.findings[id];
      copyText(finding.report).then(function (ok) {
        say(ok ? "Copied the report for " + finding.file + " line " + finding.line + "."
               : "Could not reach the clipboard; the report text is selected, press Ctrl+C.");
        button.focus();
      });
    } else if (button.classList.contains("triage")) {
      var wanted = button.getAttribute("data-decision");
      var value = el.getAttribute("data-triage") === wanted ? "" : wanted;
      saveDecision(id, value);
      showDecision(el, value);
      say(value ? "Marked " + DECISION_LABEL[value] + "." : "Decision cleared.");
      if ($("f-triage").value) applyFilters();
    }
  });

  // ---- export decisions as a waivers file for `transaudit check --waivers FILE` ----
  $("export").addEventListener("click", function () {
    var waivers = [];
    var onPage = {};
    findingEls.forEach(function (el) {
      var id = el.getAttribute("data-finding-id");
      onPage[id] = true;
      var decision = el.getAttribute("data-triage");
      if (!decision) return;
      var f = data.findings[id];
      waivers.push({ id: id, decision: decision, file: f.file, line: f.line, category: f.category,
                     excerpt: f.excerpt, note: "" });
    });
    // waivers that already hid findings in this run stay in force
    data.carried.forEach(function (w) { if (!onPage[w.id]) waivers.push(w); });
    var doc = { version: 1, tool: "transaudit", exported: new Date().toISOString(),
                report: data.signature, waivers: waivers };
    var blob = new Blob([JSON.stringify(doc, null, 2) + "\n"], { type: "application/json" });
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = "transaudit-waivers.json";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    var waived = waivers.filter(function (w) { return w.decision === "not_a_mistake"; }).length;
    say("Exported " + waivers.length + " decision" + (waivers.length === 1 ? "" : "s") + " (" + waived +
        " not a mistake) to transaudit-waivers.json.");
  });

  // ---- filters, search and sort ----
  function itemText(item) {
    if (!searchText.has(item)) searchText.set(item, item.textContent.toLowerCase());
    return searchText.get(item);
  }
  function applyFilters() {
    var sev = $("f-severity").value, cat = $("f-category").value, file = $("f-digest").value;
    var triage = $("f-triage").value;
    var terms = $("f-search").value.toLowerCase().split(/\s+/).filter(Boolean);
    var byFinding = sev || cat || triage;
    var shown = 0;
    items.forEach(function (item) {
      var digest = item.closest(".digest");
      var visible = (!file || digest.getAttribute("data-file") === file) &&
        terms.every(function (t) { return itemText(item).indexOf(t) >= 0; });
      var fs = all("[data-finding-id]", item);
      if (fs.length) {
        var any = false;
        fs.forEach(function (el) {
          var d = el.getAttribute("data-triage");
          var ok = visible && (!sev || el.getAttribute("data-severity") === sev) &&
            (!cat || el.getAttribute("data-category") === cat) &&
            (!triage || (triage === "undecided" ? !d : d === triage));
          el.hidden = !ok;
          if (ok) { any = true; shown += 1; }
        });
        visible = any;
      } else if (byFinding) {
        visible = false;
      }
      item.hidden = !visible;
    });
    all(".paper").forEach(function (p) { p.hidden = !p.querySelector(".item:not([hidden])"); });
    all(".digest").forEach(function (d) { d.hidden = !d.querySelector(".paper:not([hidden])"); });
    say("Showing " + shown + " of " + findingEls.length + " finding" + (findingEls.length === 1 ? "" : "s") + ".");
  }

  function scoreOf(el) {
    // "ter-*" sorts by the TER against the reference (data-ter), the others by the COMET score
    var s = el.getAttribute($("f-sort").value.indexOf("ter-") === 0 ? "data-ter" : "data-score");
    return s === "" || s === null ? null : parseFloat(s);
  }
  // Sorting by score reorders pairs within a paper, papers within a digest and digests, each
  // group by its lowest (or highest) score, so the weakest pairs of the run come first.
  function applySort() {
    var mode = $("f-sort").value;
    var order = function (el) { return +el.getAttribute("data-order"); };
    var key = function (el) {
      var scores = (el.classList.contains("item") ? [el] : all(".item", el)).map(scoreOf)
        .filter(function (s) { return s !== null; });
      if (!scores.length) return null;
      return /-asc$/.test(mode) ? Math.min.apply(null, scores) : Math.max.apply(null, scores);
    };
    var cmp = function (a, b) {
      if (mode === "document") return order(a) - order(b);
      var x = key(a), y = key(b);
      if (x === null && y === null) return order(a) - order(b);
      if (x === null) return 1;   // unscored last either way
      if (y === null) return -1;
      return (/-asc$/.test(mode) ? x - y : y - x) || order(a) - order(b);
    };
    var reorder = function (parent, selector) {
      all(selector, parent).sort(cmp).forEach(function (el) { parent.appendChild(el); });
    };
    all(".items").forEach(function (box) { reorder(box, ":scope > .item"); });
    all(".digest").forEach(function (d) { reorder(d, ":scope > .paper"); });
    reorder($("results"), ":scope > .digest");
  }

  ["f-severity", "f-category", "f-digest", "f-triage"].forEach(function (id) {
    $(id).addEventListener("change", applyFilters);
  });
  $("f-search").addEventListener("input", applyFilters);
  $("f-sort").addEventListener("change", applySort);

  $("toggle-clean").addEventListener("click", function () {
    var open = this.getAttribute("aria-pressed") !== "true";
    all("details.item.clean").forEach(function (d) { d.open = open; });
    this.setAttribute("aria-pressed", open ? "true" : "false");
    this.textContent = open ? "Collapse pairs without findings" : "Expand pairs without findings";
  });

  // ---- print everything, including collapsed pairs ----
  var closedBeforePrint = [];
  window.addEventListener("beforeprint", function () {
    closedBeforePrint = all("details.item:not([open])");
    closedBeforePrint.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closedBeforePrint.forEach(function (d) { d.open = false; });
    closedBeforePrint = [];
  });

  // point at the marked span of a finding while it has focus or the pointer
  function markSpans(el, on) {
    var id = el.getAttribute("data-finding-id");
    all("mark[data-for]", el.closest(".item")).forEach(function (m) {
      if (m.getAttribute("data-for").split(" ").indexOf(id) >= 0) m.classList.toggle("active", on);
    });
  }
  findingEls.forEach(function (el) {
    el.addEventListener("mouseenter", function () { markSpans(el, true); });
    el.addEventListener("mouseleave", function () { markSpans(el, false); });
    el.addEventListener("focusin", function () { markSpans(el, true); });
    el.addEventListener("focusout", function () { markSpans(el, false); });
  });

  applyFilters();
})();
