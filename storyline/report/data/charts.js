/* Draws every element with class "chart" from the JSON figure named by its data-figure
   attribute (a <script type="application/json"> block).  A click on a point opens the
   source it carries (same-page or same-site addresses only). */
(function () {
  "use strict";
  function safeHref(href) {
    return typeof href === "string" && /^(#[\w-]+|\/(?!\/)[^\s]*)$/.test(href);
  }
  function draw(el) {
    var src = document.getElementById(el.getAttribute("data-figure"));
    if (!src || !window.Plotly) { return; }
    var fig = JSON.parse(src.textContent);
    window.Plotly.newPlot(el, fig.data, fig.layout, {
      displaylogo: false, responsive: true, topojsonURL: "./"
    }).then(function () {
      el.setAttribute("data-drawn", "1");
      el.on("plotly_click", function (ev) {
        var pt = ev && ev.points && ev.points[0];
        var href = pt && pt.customdata;
        if (safeHref(href)) { window.location.href = href; }
      });
    });
  }
  function drawAll() {
    var charts = document.querySelectorAll(".chart[data-figure]");
    for (var i = 0; i < charts.length; i++) { draw(charts[i]); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
