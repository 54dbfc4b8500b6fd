// Click or press Enter on a highlighted passage: list every span covering it.
(function () {
  var data = document.getElementById("spans");
  if (!data) { return; }
  var spans = JSON.parse(data.textContent);
  var box = document.getElementById("details");
  function show(mark) {
    document.querySelectorAll("mark.sel").forEach(function (m) { m.classList.remove("sel"); });
    mark.classList.add("sel");
    box.replaceChildren();
    var h = document.createElement("h2"); h.textContent = "Details"; box.appendChild(h);
    mark.dataset.spans.split(" ").forEach(function (i) {
      if (!spans[+i].shown && !document.body.classList.contains("allspans")) { return; }
      var s = spans[+i], card = document.createElement("div"), b = document.createElement("b");
      card.className = "card";
      b.textContent = s.technique.replace(/_/g, " ") + " · " + s.score.toFixed(2) + " · " + s.speaker +
        (s.target ? " → " + s.target : "");
      var q = document.createElement("q"); q.textContent = s.text;
      var r = document.createElement("p"); r.textContent = s.reason;
      card.append(b, q, r); box.appendChild(card);
    });
  }
  var all = document.getElementById("allspans");
  if (all) {
    all.addEventListener("change", function () {
      document.body.classList.toggle("allspans", all.checked);
    });
  }
  document.querySelectorAll("mark.seg").forEach(function (m) {
    m.addEventListener("click", function () { show(m); });
    m.addEventListener("keydown", function (e) { if (e.key === "Enter") show(m); });
  });
})();
