/* The wall screen (大屏): fetches the figures (data-source) every data-refresh-seconds and redraws them in place —
   no reload. Chart data has the dashboard's shape: {"kind": "hbars" | "bars" | "stacked" | "line", "percent",
   "categories", "series": [{"name", "data"}]}. Type sizes follow the viewport's height, so a 4K wall reads
   like a 1080p one. window.tuopinWall.refresh() fetches at once (the browser test uses it). */
(function () {
  "use strict";
  var COLOURS = ["#3fa7ff", "#ffd166", "#ef476f", "#06d6a0", "#c77dff", "#ff9f1c", "#8ecae6", "#f4a261",
                 "#90be6d", "#e76f51", "#a8dadc", "#ffafcc"];
  var root, last, charts = {};

  function px(share) { return Math.max(10, Math.round(window.innerHeight * share)); }

  function options(data) {
    var kind = data.kind || "hbars", horizontal = kind === "hbars", many = data.series.length > 1;
    var text = {color: "#e8eef5", fontSize: px(0.017)};
    // Across the room, labels must not overlap: a long list of places slants, a long run of years thins out.
    var longest = Math.max.apply(null, data.categories.map(function (c) { return String(c).length; }).concat([0]));
    var slant = !horizontal && data.categories.length > 5 && longest > 3;
    var category = {type: "category", data: data.categories,
                    axisLabel: Object.assign({interval: slant ? 0 : "auto", rotate: slant ? 35 : 0}, text),
                    inverse: horizontal,
                    axisLine: {lineStyle: {color: "#6f8399"}}, axisTick: {show: false}};
    var value = {type: "value", axisLabel: Object.assign({}, text, data.percent ? {formatter: "{value}%"} : {}),
                 splitLine: {lineStyle: {color: "#24354d"}}, minInterval: data.percent ? 0 : 1};
    if (data.percent && horizontal) value.max = 100;
    if (horizontal) value.axisLabel.show = false;  // each bar carries its figure
    return {
      color: COLOURS, animation: false, backgroundColor: "transparent",
      legend: many ? {type: "scroll", top: 0, left: 0, right: 0, textStyle: text, itemWidth: px(0.02),
                      itemHeight: px(0.012), pageTextStyle: text, pageIconColor: "#e8eef5"} : {show: false},
      grid: {left: 8, right: horizontal ? px(0.075) : px(0.02), top: many ? px(0.04) : px(0.01), bottom: 4,
             containLabel: true},
      xAxis: horizontal ? value : category, yAxis: horizontal ? category : value,
      series: data.series.map(function (s) {
        var series = {name: s.name, data: s.data, type: kind === "line" ? "line" : "bar"};
        var label = {show: true, color: "#ffffff", fontSize: px(0.016),
                     formatter: data.percent ? function (p) { return Number(p.value).toFixed(2) + "%"; } : "{c}"};
        if (kind === "line") { series.symbolSize = px(0.01); series.lineStyle = {width: px(0.004)};
                               label.position = "top"; }
        else if (kind === "stacked") { series.stack = "total"; label.show = false; }
        else { label.position = horizontal ? "right" : "top"; series.barMaxWidth = px(0.035); }
        series.label = label;
        series.labelLayout = {hideOverlap: true};
        return series;
      })
    };
  }

  function draw(el, data) {
    var name = el.getAttribute("data-wall-chart");
    if (!data || !data.series.length || !data.categories.length) {
      if (charts[name]) { charts[name].dispose(); delete charts[name]; }
      el.textContent = "";
      var empty = document.createElement("p");
      empty.className = "empty";
      empty.textContent = "—";
      el.appendChild(empty);
      el.setAttribute("data-drawn", "empty");
      return;
    }
    if (!charts[name]) { el.textContent = ""; charts[name] = window.echarts.init(el, null, {renderer: "canvas"}); }
    charts[name].setOption(options(data), true);
    el.setAttribute("data-drawn", "true");
  }

  function drawCharts(figures) {
    root.querySelectorAll("[data-wall-chart]").forEach(function (el) {
      draw(el, (figures.charts || {})[el.getAttribute("data-wall-chart")]);
    });
  }

  function show(figures) {
    last = figures;
    var head = figures.headline || {};
    root.querySelectorAll("[data-field]").forEach(function (el) {
      var key = el.getAttribute("data-field");
      var value = key === "updated" || key === "year" ? figures[key] : head[key];
      el.textContent = value === undefined || value === null ? "—" : value + (el.getAttribute("data-suffix") || "");
    });
    drawCharts(figures);
    root.setAttribute("data-refreshes", String(Number(root.getAttribute("data-refreshes")) + 1));
  }

  function refresh() {
    return fetch(root.getAttribute("data-source"), {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(show)
      .catch(function () { root.setAttribute("data-stale", "true"); });  // the last figures stay up
  }

  function start() {
    root = document.getElementById("wall");
    if (!root || !window.echarts) return;
    var every = Number(root.getAttribute("data-refresh-seconds")) || 60;
    refresh();
    window.setInterval(refresh, every * 1000);
    window.addEventListener("resize", function () {  // type sizes follow the viewport: options again
      Object.keys(charts).forEach(function (k) { charts[k].resize(); });
      if (last) drawCharts(last);
    });
    window.tuopinWall = {refresh: refresh};
  }

  document.addEventListener("DOMContentLoaded", start);
})();
