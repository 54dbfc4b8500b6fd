// Narratives over time: documents per narrative and publication month, drawn by Vega-Lite
// (bundled, CSP-safe interpreter); a click on a point opens the narrative's sentences.
(function () {
  var options = {
    renderer: "svg", actions: false, defaultStyle: false,
    ast: true, expr: window.vegaInterpreter.expressionInterpreter
  };
  var el = document.getElementById("chart-narratives");
  fetch("/api/narratives", { credentials: "same-origin" }).then(function (r) {
    if (!r.ok) { throw new Error("narratives: " + r.status); }
    return r.json();
  }).then(function (payload) {
    var rows = [];
    // the ten narratives with most dated documents: more lines than that cannot be told apart
    var dated = function (n) {
      return Object.keys(n.by_month).reduce(function (sum, m) { return m === "undated" ? sum : sum + n.by_month[m]; }, 0);
    };
    var top = payload.narratives.slice().sort(function (a, b) { return dated(b) - dated(a); }).slice(0, 10);
    top.forEach(function (n) {
      Object.keys(n.by_month).forEach(function (m) {
        if (m === "undated") { return; }  // no place on a time axis; counted in the summary
        rows.push({ id: n.id, narrative: n.label, month: m + "-01", documents: n.by_month[m] });
      });
    });
    if (!rows.length) { el.textContent = "No dated documents carry a narrative yet."; el.classList.add("empty"); return; }
    var spec = {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      data: { values: rows }, mark: { type: "line", point: { size: 60 } }, height: 260,
      width: "container", autosize: { type: "fit-x", contains: "padding" },
      encoding: {
        x: { field: "month", type: "temporal", timeUnit: "yearmonth", title: "publication month",
             axis: { format: "%b %Y", tickCount: "month" } },
        y: { field: "documents", type: "quantitative", title: "documents", axis: { format: "d", tickMinStep: 1 } },
        color: { field: "narrative", type: "nominal", legend: { orient: "bottom", columns: 2, labelLimit: 360, title: null } },
        tooltip: [{ field: "narrative" }, { field: "month", type: "temporal", timeUnit: "yearmonth" }, { field: "documents" }]
      }
    };
    return vegaEmbed("#chart-narratives", spec, options).then(function (result) {
      result.view.addEventListener("click", function (event, item) {
        if (item && item.datum && item.datum.id) { window.location.href = "/narratives/" + Number(item.datum.id); }
      });
    });
  });
})();
