/* Draws every <div data-chart="ID"> from the JSON that Django's json_script put in <script id="ID">:
   {"categories": [...], "series": [{"name": ..., "data": [...]}, ...]} as horizontal bars. */
(function () {
  "use strict";
  var COLOURS = ["#1f3a5f", "#a32020", "#6b7f95", "#c98a2b"];
  var FONT = getComputedStyle(document.body).fontFamily;

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(el, null, {renderer: "svg"});
    chart.setOption({
      color: COLOURS,
      textStyle: {fontFamily: FONT},
      animation: false,
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}},
      legend: {top: 0, left: 0},
      grid: {left: 8, right: 24, top: 36, bottom: 8, containLabel: true},
      xAxis: {type: "value", minInterval: 1, splitLine: {lineStyle: {color: "#e3e7ec"}}},
      yAxis: {type: "category", inverse: true, data: data.categories, axisTick: {show: false}},
      series: data.series.map(function (s) {
        return {name: s.name, type: "bar", data: s.data, barMaxWidth: 16,
                label: {show: true, position: "right", fontSize: 11, color: "#3d4a59"}};
      })
    });
    el.setAttribute("data-drawn", "true");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawAll() { document.querySelectorAll("[data-chart]").forEach(draw); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawAll);
  else drawAll();
})();
