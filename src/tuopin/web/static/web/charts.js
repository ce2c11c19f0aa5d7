/* Draws every <div data-chart="ID"> from the JSON that Django's json_script put in <script id="ID">:
   {"kind": "hbars" | "bars" | "stacked" | "line", "percent": bool,
    "categories": [...], "series": [{"name": ..., "data": [...]}, ...]}
   "hbars" (the default) are horizontal bars, one row per region; "stacked" stacks the series per category;
   "line" joins the points (incidence by year). Drawn on a canvas; the page's CJK font is used. */
(function () {
  "use strict";
  var COLOURS = ["#1f3a5f", "#a32020", "#6b7f95", "#c98a2b", "#2e6b3a", "#7d4f8c", "#3f8fa6", "#b5651d",
                 "#5b6673", "#8c9c3a", "#c05a7c", "#24576d"];
  var FONT = getComputedStyle(document.body).fontFamily;

  // Incidence travels as a percentage with four decimals; labels show two, as the tables do.
  function percent(value) { return Number(value).toFixed(2) + "%"; }

  function valueAxis(data) {
    var axis = {type: "value", splitLine: {lineStyle: {color: "#e3e7ec"}}};
    if (data.percent) axis.axisLabel = {formatter: "{value}%"};
    else axis.minInterval = 1;
    return axis;
  }

  function options(data) {
    var kind = data.kind || "hbars";
    var horizontal = kind === "hbars";
    var category = {type: "category", data: data.categories, axisTick: {show: false}};
    if (horizontal) category.inverse = true;
    var many = data.series.length > 1;
    return {
      color: COLOURS,
      textStyle: {fontFamily: FONT},
      animation: false,
      tooltip: {trigger: "axis", axisPointer: {type: kind === "line" ? "line" : "shadow"},
                valueFormatter: data.percent ? percent : undefined},
      legend: many ? {top: 0, left: 0, type: "scroll"} : {show: false},
      grid: {left: 8, right: 24, top: many ? 36 : 12, bottom: 8, containLabel: true},
      xAxis: horizontal ? valueAxis(data) : category,
      yAxis: horizontal ? category : valueAxis(data),
      series: data.series.map(function (s) {
        var series = {name: s.name, data: s.data};
        if (kind === "line") {
          series.type = "line";
          series.symbolSize = 7;
          series.label = {show: true, position: "top", fontSize: 11, color: "#3d4a59",
                          formatter: data.percent ? function (p) { return percent(p.value); } : "{c}"};
        } else {
          series.type = "bar";
          series.barMaxWidth = kind === "stacked" ? 36 : 16;
          if (kind === "stacked") series.stack = "total";
          else series.label = {show: true, position: horizontal ? "right" : "top", fontSize: 11, color: "#3d4a59"};
        }
        return series;
      })
    };
  }

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source || !window.echarts) return;
    var chart = window.echarts.init(el, null, {renderer: "canvas"});
    chart.setOption(options(JSON.parse(source.textContent)));
    el.setAttribute("data-drawn", "true");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawAll(root) { (root || document).querySelectorAll("[data-chart]").forEach(draw); }

  // A part of the page that takes longer (the trend over the years, decision 0600) comes from its own URL
  // (same origin, with the session cookie) and is drawn when it arrives; its link stays for pages without JS.
  function loadFragments() {
    document.querySelectorAll("[data-fragment]").forEach(function (box) {
      fetch(box.getAttribute("data-fragment"), {credentials: "same-origin", headers: {"X-Requested-With": "fetch"}})
        .then(function (response) { if (!response.ok) throw new Error(response.status); return response.text(); })
        .then(function (html) {
          box.innerHTML = html;
          box.removeAttribute("data-fragment");
          drawAll(box);
        })
        .catch(function () { box.setAttribute("data-fragment-failed", "true"); });
    });
  }

  function start() { drawAll(); loadFragments(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
