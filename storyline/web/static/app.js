/* Light behaviour of the Storyline pages; no inline scripts anywhere (strict CSP). */
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", fn); }
    else { fn(); }
  }

  function annotationToggles() {
    var boxes = document.querySelectorAll("input.toggle-ann");
    Array.prototype.forEach.call(boxes, function (box) {
      box.addEventListener("change", function () {
        document.body.classList.toggle("hide-" + box.getAttribute("data-kind"), !box.checked);
      });
    });
    var removed = document.getElementById("toggle-removed");
    var panel = document.getElementById("removed");
    if (removed && panel) {
      removed.addEventListener("change", function () { panel.hidden = !removed.checked; });
    }
  }

  function autoSubmitFilters() {
    var selects = document.querySelectorAll("form.filters select");
    Array.prototype.forEach.call(selects, function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  function setText(id, text) {
    var el = document.getElementById(id);
    if (el) { el.textContent = text; }
  }

  function pollJob() {
    var box = document.getElementById("job");
    if (!box) { return; }
    var id = box.getAttribute("data-job");
    function tick() {
      fetch("/api/v1/jobs/" + encodeURIComponent(id), {headers: {"Accept": "application/json"}})
        .then(function (r) { return r.json(); })
        .then(function (job) {
          box.setAttribute("data-status", job.status);
          setText("job-status", job.status);
          setText("job-stage", job.stage || "");
          setText("job-progress", job.total ? job.done + "/" + job.total : "");
          var bar = document.getElementById("job-bar");
          if (bar) { bar.max = job.total || 1; bar.value = job.done || 0; }
          setText("job-error", job.error || "");
          var list = document.getElementById("job-messages");
          if (list) {
            list.textContent = "";
            (job.messages || []).forEach(function (m) {
              var li = document.createElement("li");
              li.textContent = m;
              list.appendChild(li);
            });
          }
          if (job.status === "done") {
            setText("job-summary", (job.added || []).length + " document(s) added");
            var done = document.getElementById("job-done");
            if (done) { done.hidden = false; }
          } else if (job.status !== "failed") {
            window.setTimeout(tick, 1000);
          }
        })
        .catch(function () { window.setTimeout(tick, 2000); });
    }
    var status = box.getAttribute("data-status");
    if (status === "queued" || status === "running") { tick(); }
  }

  onReady(function () {
    annotationToggles();
    autoSubmitFilters();
    pollJob();
  });
})();
