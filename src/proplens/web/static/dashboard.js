// Dashboard charts: data from the JSON API, drawn by Vega-Lite (bundled, CSP-safe interpreter).
(function () {
  var options = {
    renderer: "svg", actions: false, defaultStyle: false,
    ast: true, expr: window.vegaInterpreter.expressionInterpreter
  };
  // one colour per technique, the article pages' own, the same on every load
  var colours = JSON.parse(document.getElementById("technique-colours").textContent);
  var techniqueColour = {
    field: "technique", type: "nominal",
    scale: { domain: Object.keys(colours), range: Object.keys(colours).map(function (t) { return colours[t]; }) }
  };
  function withLegend(encoding, legend) {
    var out = {}; Object.keys(encoding).forEach(function (k) { out[k] = encoding[k]; });
    out.legend = legend; return out;
  }
  function get(by) {
    return fetch("/api/stats?by=" + by, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error("stats " + by + ": " + r.status); }
      return r.json();
    });
  }
  function draw(id, spec) {
    spec.$schema = "https://vega.github.io/schema/vega-lite/v6.json";
    if (!spec.vconcat) { spec.width = "container"; }
    spec.autosize = { type: "fit", contains: "padding" };
    return vegaEmbed("#" + id, spec, options);
  }
  function empty(id, message) {
    var el = document.getElementById(id); el.textContent = message; el.classList.add("empty");
  }
  get("technique").then(function (s) {
    if (!s.rows.length) { return empty("chart-techniques", "No technique spans stored yet."); }
    return draw("chart-techniques", {
      data: { values: s.rows }, mark: "bar", height: 360,
      encoding: {
        y: { field: "technique", type: "nominal", sort: "-x", title: null },
        x: { field: "per_1000_words", type: "quantitative", title: "spans per 1,000 words" },
        color: withLegend(techniqueColour, null),
        tooltip: [{ field: "technique" }, { field: "spans" }, { field: "author_spans" }, { field: "quoted_spans" }]
      }
    });
  });
  get("month").then(function (s) {
    var rows = [];
    s.rows.forEach(function (m) {
      Object.keys(m.techniques_per_1000_words).forEach(function (t) {
        rows.push({ month: m.month + "-01", technique: t, rate: m.techniques_per_1000_words[t] });
      });
    });
    return get("source").then(function (src) {
      if (!rows.length) { return empty("chart-time", "No dated documents yet."); }
      var bySource = [];
      src.rows.forEach(function (r) {
        Object.keys(r.techniques_per_1000_words).forEach(function (t) {
          bySource.push({ source: r.source || "(none)", technique: t, rate: r.techniques_per_1000_words[t] });
        });
      });
      var w = Math.max(200, document.getElementById("chart-time").clientWidth - 300);
      return draw("chart-time", {
        vconcat: [
          { data: { values: rows }, mark: { type: "line", point: true }, height: 160, width: w,
            encoding: { x: { field: "month", type: "temporal", timeUnit: "yearmonth", title: "publication month",
                             axis: { format: "%b %Y", tickCount: "month" } },
                        y: { field: "rate", type: "quantitative", title: "per 1,000 words" },
                        color: withLegend(techniqueColour, { columns: 1, orient: "right" }) } },
          { data: { values: bySource }, mark: "bar", height: 160, width: w,
            encoding: { x: { field: "source", type: "nominal" }, y: { field: "rate", type: "quantitative", stack: "zero", title: "per 1,000 words" },
                        color: withLegend(techniqueColour, null) } }
        ]
      });
    });
  });
  get("actor").then(function (s) {
    var rows = [];
    s.rows.forEach(function (a) {
      Object.keys(a.attacked_by_source).forEach(function (src) {
        rows.push({ actor: a.actor, source: src || "(none)", documents: a.attacked_by_source[src] });
      });
    });
    if (!rows.length) { return empty("chart-actors", "No actors with negative stance yet."); }
    return draw("chart-actors", {
      data: { values: rows }, mark: "bar", height: 300,
      encoding: {
        y: { field: "actor", type: "nominal", sort: "-x", title: null },
        x: { field: "documents", type: "quantitative", stack: "zero", title: "documents with negative stance",
             axis: { format: "d", tickMinStep: 1 } },
        color: { field: "source", type: "nominal", title: "attacked by" }
      }
    });
  });
})();
