// Skywatch live channel: keeps the page in step with the server's view of the night.
// The server renders every element's props (one fold for all viewers); this script only
// delivers them into Dash, reconnects by itself, and says truthfully whether it is live.
(function () {
  "use strict";

  var params = new URLSearchParams(window.location.search);
  var night = params.get("night");
  // On /replay/<id> the page follows a replay session instead of the live night.
  var replayMatch = window.location.pathname.match(/^\/replay\/([^\/]+)\/?$/);
  var replayId = replayMatch ? decodeURIComponent(replayMatch[1]) : null;
  var CLOSE_NO_SESSION = 4004;
  var RECONNECT_MIN_MS = 250;
  var RECONNECT_MAX_MS = 3000;
  // The server sends something at least every 10 s; silence beyond this means trouble.
  var STALE_MS = 25000;
  var backoff = RECONNECT_MIN_MS;
  var lastMessageAt = 0;
  var socket = null;
  var shownNight = night;
  // Tonight is live; the server says when the night shown is a past one (the archive).
  var archive = false;
  var lastEventAt = null;
  var lang = document.documentElement.lang || "en";
  var texts = {};
  // Dash renders the layout some hundreds of milliseconds after this script runs (its
  // scripts are parsed and run first, then it fetches the layout). The socket opens at once
  // so the server builds the night's first view meanwhile; what arrives before the
  // elements exist waits here.
  var ready = false;
  var early = [];
  var startClock = null;

  function readTexts() {
    var holder = document.getElementById("page-texts");
    if (holder && holder.dataset.texts) {
      texts = JSON.parse(holder.dataset.texts);
      lang = holder.dataset.lang || lang;
    }
  }

  // The page's own strings, in the page's language (dashboard/layout.py SCRIPT_TEXTS).
  function say(text, values) {
    var said = texts[text] || text;
    Object.keys(values || {}).forEach(function (key) {
      said = said.split("{" + key + "}").join(values[key]);
    });
    return said;
  }

  window.skywatch = {
    updates: 0,
    lastSeq: 0,
    replayId: replayId,
    say: say,
    lang: function () { return lang; },
    shownNight: function () { return shownNight; },
    nightSearch: function (value) {
      // Only a choice by the user moves the page; the stream setting the value does not.
      if (!value || value === shownNight) {
        return window.dash_clientside.no_update;
      }
      return "?night=" + encodeURIComponent(value);
    },
  };

  function setProps(id, props) {
    window.dash_clientside.set_props(id, props);
  }

  var shownStatus = null;

  function showStatus(state) {
    // Connected to a replay or a past night is not "live": the pill never suggests it.
    var shown = state;
    if (state === "live" && replayId) {
      shown = "replay";
    } else if (state === "live" && archive) {
      shown = "archive";
    }
    // Called with every message: a render only when the pill changes.
    if (shown === shownStatus) {
      return;
    }
    shownStatus = shown;
    setProps("connection-status", {
      children: say(shown), className: "status status-" + shown, "data-state": shown,
    });
  }

  // Chart text scales with the screen: 18 px or more on a 1080-line wall screen.
  function chartFont() {
    return Math.max(13, Math.round(window.innerHeight * 0.0175));
  }

  // A phone's map fills its panel, so the legend in its corner covered the south-west
  // (Zakarpattia to Odesa): below the map there.
  var PHONE = 640;
  // Degrees of latitude above the country for the callout's three lines (style.css gives
  // the phone's map the height for them).
  var PHONE_CALLOUT_BAND = 2.6;

  function scaled(figure, id) {
    var size = chartFont();
    var layout = Object.assign({}, figure.layout || {});
    layout.font = Object.assign({}, layout.font || {}, { size: size });
    if (layout.legend) {
      layout.legend = Object.assign({}, layout.legend, {
        font: Object.assign({}, layout.legend.font || {}, { size: size }),
      });
      if (id === "city-map" && window.innerWidth < PHONE) {
        Object.assign(layout.legend, {
          orientation: "h", x: 0, xanchor: "left", y: 0, yanchor: "top", bgcolor: "rgba(0,0,0,0)",
        });
      }
    }
    if (id === "city-map" && window.innerWidth < PHONE && layout.yaxis && layout.annotations) {
      // Across a phone the Kyiv callout is as wide as the country and covered the north
      // (Volyn to Chernihiv): there it sits in a band of its own above the map.
      var range = layout.yaxis.range;
      var top = range[1] + PHONE_CALLOUT_BAND;
      layout.yaxis = Object.assign({}, layout.yaxis, { range: [range[0], top] });
      layout.annotations = layout.annotations.map(function (note) {
        return note.axref === "x" ? Object.assign({}, note, { ay: top - 0.1 }) : note;
      });
    }
    if (layout.annotations) {
      layout.annotations = layout.annotations.map(function (note) {
        return Object.assign({}, note, { font: Object.assign({}, note.font || {}, { size: size }) });
      });
    }
    if (id === "timeline") {
      layout.margin = timelineMargins(figure, size, layout.margin || {});
    }
    var data = (figure.data || []).map(function (trace) {
      if (trace.name !== "labels") {
        return trace;
      }
      var font = Object.assign({}, trace.textfont || {}, { size: Math.round(size * 0.8) });
      return Object.assign({}, trace, { textfont: font });
    });
    return { data: data, layout: layout };
  }

  // Plotly's automargin makes room for the timeline's tick labels and legend by drawing the
  // chart, finding its margins too small, and drawing it all over again: a third of a past
  // night's first drawing went on the second. Margins set ahead to what it finds (a row of
  // legend above, a row of times below, counts of so many digits; fitted to what it found at
  // the five tested screen sizes, plus 2 px) leave it nothing to add. Where they fall short
  // (a legend wrapped on a phone) it adds the rest, and draws twice, as before.
  function timelineMargins(figure, size, margin) {
    var most = 0;
    (figure.data || []).forEach(function (trace) {
      (trace.y || []).forEach(function (value) {
        most = typeof value === "number" && value > most ? value : most;
      });
    });
    var range = figure.layout && figure.layout.yaxis && figure.layout.yaxis.range;
    if (range) {
      most = Math.max(most, range[1]);
    }
    // The top tick may lie past the tallest bar (the range is padded); 10k and up is "10k".
    var digits = Math.min(4, String(Math.ceil(most * 1.1)).length);
    return Object.assign({}, margin, {
      l: Math.max(margin.l || 0, Math.ceil(0.63 * size * digits + 10)),
      t: Math.max(margin.t || 0, Math.ceil(1.6 * size + 21)),
      b: Math.max(margin.b || 0, Math.ceil(1.25 * size + 10)),
    });
  }

  // Dash's dropdown marks its keyboard focus target aria-hidden: a focusable element must
  // not be hidden from assistive technology (axe: aria-hidden-focus).
  function unhideFocusTargets() {
    document.querySelectorAll(".dash-dropdown-focus-target[aria-hidden]").forEach(function (el) {
      el.removeAttribute("aria-hidden");
      el.setAttribute("aria-label", say("Pick a night: type a date to search"));
    });
  }

  var shownAgo = null;

  function showLastEvent(props) {
    if (props && "data-at" in props) {
      lastEventAt = props["data-at"] ? Date.parse(props["data-at"]) : null;
    }
    var ago = "";
    if (lastEventAt !== null && !archive && !replayId) {
      var minutes = Math.floor((Date.now() - lastEventAt) / 60000);
      ago = "(" + (minutes < 1 ? say("just now") : say("{minutes} min ago", { minutes: minutes })) + ")";
    }
    // Every second on every page: set only when the text changes (once a minute).
    if (ago !== shownAgo) {
      shownAgo = ago;
      setProps("last-event-ago", { children: ago });
    }
  }

  function streamUrl() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    if (replayId) {
      var path = "/dashboard/replay/" + encodeURIComponent(replayId) + "/stream?lang=" +
        encodeURIComponent(lang);
      return scheme + window.location.host + path;
    }
    var query = "?lang=" + encodeURIComponent(lang);
    if (night) {
      query += "&night=" + encodeURIComponent(night);
    }
    return scheme + window.location.host + "/dashboard/stream" + query;
  }

  // The picker's options are every night in the store (1,500 and more over the war), and
  // the dropdown indexes them for its search as they are set: a task of 0.1-0.2 s, which
  // held the night's first drawing back. The night shown is set at once; the others once
  // the night is on screen (the frame after its first drawing), or when the picker is
  // touched before that.
  var pickerOptions = null;
  var pickerFilled = false;

  function showPicker(picker) {
    shownNight = picker.value;
    pickerOptions = picker.options || [];
    if (pickerFilled) {
      setProps("night-picker", picker);
      return;
    }
    var current = pickerOptions.filter(function (option) { return option.value === picker.value; });
    setProps("night-picker", { value: picker.value, options: current });
  }

  function fillPicker() {
    if (pickerOptions !== null && !pickerFilled) {
      pickerFilled = true;
      setProps("night-picker", { options: pickerOptions });
    }
  }

  // Indexing the options for the picker's search is a long task: it waits for the map to
  // be drawn (Plotly draws it some frames after its figure is set), at most this many
  // frames.
  var PICKER_WAIT_FRAMES = 120;

  function chartsDrawn() {
    // The map is the last and largest drawing (the placeholder figures have no traces).
    return document.querySelector("#city-map .scatterlayer .trace") !== null;
  }

  function fillPickerOnceDrawn(frames) {
    window.requestAnimationFrame(function () {
      if (frames > 0 && !chartsDrawn()) {
        fillPickerOnceDrawn(frames - 1);
        return;
      }
      window.setTimeout(fillPicker, 0);
    });
  }

  function onPickerTouched(event) {
    if (event.target instanceof Element && event.target.closest(".night-picker-wrap")) {
      fillPicker();
    }
  }

  // Capture phase: the options are in place before the dropdown opens on this same event.
  document.addEventListener("pointerdown", onPickerTouched, true);
  document.addEventListener("focusin", onPickerTouched, true);
  document.addEventListener("keydown", onPickerTouched, true);

  function apply(message) {
    if (message.type === "gone" && window.skywatchReplay) {
      window.skywatchReplay.gone();
    }
    if (message.type !== "view") {
      return;
    }
    if (message.replay && window.skywatchReplay) {
      window.skywatchReplay.clock(message.replay, message.span);
    }
    if ("live" in message) {
      archive = !message.live;
    }
    if (message.picker) {
      showPicker(message.picker);
    }
    var props = message.props || {};
    var first = !window.skywatch.updates;
    Object.keys(props).forEach(function (id) {
      var value = props[id];
      // Merged into what is pending: a page that falls behind draws the latest once.
      if (value.figure && !first && !replayId) {
        figures[id] = Object.assign(figures[id] || {}, value);
      } else if (value.figure || value.data) {
        heavy[id] = Object.assign(heavy[id] || {}, value);
      } else {
        setProps(id, value);
      }
    });
    if (props["last-event"]) {
      showLastEvent(props["last-event"]);
    }
    heavySeq = message.seq;
    if (!heavyDue) {
      heavyDue = true;
      // The night's first drawing is what the viewer waits for: at once.
      window.setTimeout(applyHeavy, first ? 0 : HEAVY_DELAY_MS);
    }
    if (!figuresDue && Object.keys(figures).length) {
      figuresDue = true;
      window.setTimeout(applyFigures, HEAVY_DELAY_MS + Math.random() * FIGURE_SPREAD_MS);
    }
  }

  // Figures and tables cost a page most of its time per update (Plotly redraws a chart
  // whole; a table's rows are rebuilt), and React renders everything set in one task
  // together: set in a task of their own, they no longer hold back the counters, which
  // then show a few milliseconds after the message instead of after every table and chart.
  // One machine often draws several screens (a control room's PC, a laptop with a wall
  // screen beside it): the same message reaches all of them at once, and a page that
  // redraws its charts at once competes for the cores with the others' counters. Later by
  // a fraction of a second, nobody sees the charts wait; a headline figure waiting is seen.
  var HEAVY_DELAY_MS = 150;
  // A live night's charts change on the server's cadence (the map at most once a second,
  // the timeline every 5 s), and every screen gets the change at the same instant: a room
  // of screens on one machine redrew all its charts at once, and the counters of an event
  // arriving then waited behind all of them. Each page draws a later chart change at a
  // moment of its own within this window, so those redraws no longer pile up. The first
  // drawing, tables and counters are not delayed; nor is a replay, whose screens follow the
  // presenter together.
  var FIGURE_SPREAD_MS = 1000;
  var heavy = {};
  var heavySeq = 0;
  var heavyDue = false;
  var figures = {};
  var figuresDue = false;

  // The tables' rows, as text (layout.py rows_table): the columns are the table's own.
  function renderRows(table, rows) {
    var keys = (table.dataset.columns || "").split(",");
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    var body = document.createDocumentFragment();
    rows.forEach(function (row) {
      var line = document.createElement("tr");
      keys.forEach(function (key, index) {
        var cell = document.createElement("td");
        var value = row[key];
        cell.textContent = value === null || value === undefined ? "" : String(value);
        cell.dataset.column = key;
        cell.className = heads[index] ? heads[index].className : "";
        line.appendChild(cell);
      });
      body.appendChild(line);
    });
    table.tBodies[0].replaceChildren(body);
  }

  function applyHeavy() {
    heavyDue = false;
    var pending = heavy;
    heavy = {};
    draw(pending);
    unhideFocusTargets();
    if (!pickerFilled && pickerOptions !== null) {
      fillPickerOnceDrawn(PICKER_WAIT_FRAMES);
    }
    drawn();
  }

  function applyFigures() {
    figuresDue = false;
    var pending = figures;
    figures = {};
    draw(pending);
    drawn();
  }

  // The page shows everything up to the latest seq only once nothing waits to be drawn
  // (tests and tools wait on it).
  function drawn() {
    if (heavyDue || figuresDue) {
      return;
    }
    window.skywatch.lastSeq = heavySeq;
    window.skywatch.updates += 1;
    if (startClock) {
      // After the frame that shows the drawing.
      window.requestAnimationFrame(function () {
        window.setTimeout(function () { if (startClock) { startClock(); } }, 0);
      });
    }
  }

  function draw(pending) {
    Object.keys(pending).forEach(function (id) {
      var value = pending[id];
      var table = document.getElementById(id);
      if (table && table.classList.contains("rows-table") && value.data) {
        renderRows(table, value.data);
        return;
      }
      if (value.figure) {
        value = Object.assign({}, value, { figure: scaled(value.figure, id) });
      }
      setProps(id, value);
    });
  }

  function connect() {
    socket = new WebSocket(streamUrl());
    socket.onopen = function () {
      backoff = RECONNECT_MIN_MS;
      // The first view of a big night takes a while: count the silence from now, not from
      // the last socket's final message, or the watchdog would close this one before it.
      lastMessageAt = Date.now();
    };
    socket.onmessage = function (event) {
      lastMessageAt = Date.now();
      whenReady(function () { receive(event.data); });
    };
    socket.onclose = function (event) {
      socket = null;
      whenReady(function () { closed(event); });
    };
  }

  // What the socket brings before the page's elements exist is handled once they do, in
  // the order it came.
  function whenReady(handle) {
    if (ready) {
      handle();
    } else {
      early.push(handle);
    }
  }

  function closed(event) {
    if (event.code === CLOSE_NO_SESSION && window.skywatchReplay) {
      // A session that does not exist will not exist on retry either.
      window.skywatchReplay.gone();
      showStatus("offline");
      return;
    }
    showStatus(navigator.onLine ? "reconnecting" : "offline");
    window.setTimeout(connect, backoff);
    backoff = Math.min(backoff * 2, RECONNECT_MAX_MS);
  }

  function receive(data) {
    // The message first: it says whether the night shown is live or the archive.
    apply(JSON.parse(data));
    showStatus("live");
  }

  function watchdog() {
    if (socket && socket.readyState === WebSocket.OPEN && Date.now() - lastMessageAt > STALE_MS) {
      showStatus("reconnecting");
      socket.close();
    }
    if (!navigator.onLine) {
      showStatus("offline");
    }
  }

  // Made at the first tick: a page's first Intl formatter loads the time-zone data (tens
  // of milliseconds), which the night's first drawing need not wait for.
  var kyivClock = null;

  function tick() {
    if (kyivClock === null) {
      kyivClock = new Intl.DateTimeFormat(lang === "uk" ? "uk-UA" : "en-GB", {
        timeZone: "Europe/Kyiv", hour: "2-digit", minute: "2-digit",
      });
    }
    // Hours and minutes, written when the minute turns: every change is a frame the machine
    // draws, and a clock with seconds cost 19 idle pages on one machine an eighth of a core
    // (the status pill, not the clock, says whether the page is live). Written as text, not
    // through Dash, whose store and React render cost ten times the text itself. The server
    // never sets this element on the live night (a replay's clock is the server's, and this
    // tick does not run there).
    var clock = document.getElementById("kyiv-time");
    var text = say("Kyiv") + " " + kyivClock.format(new Date());
    if (clock && clock.textContent !== text) {
      clock.textContent = text;
    }
    showLastEvent(null);
    unhideFocusTargets();
  }

  // Dash renders the layout after its scripts load and its layout request returns: the
  // page starts as soon as React puts the elements in, not at the next turn of a timer
  // (polled every 50 ms, a past night's first drawing waited 25 ms on average for it).
  var layoutWatch = null;

  function start() {
    if (ready) {
      return;
    }
    if (!window.dash_clientside || !window.dash_clientside.set_props ||
        !document.getElementById("connection-status")) {
      if (layoutWatch === null) {
        layoutWatch = new MutationObserver(start);
        layoutWatch.observe(document.documentElement, { childList: true, subtree: true });
      }
      return;
    }
    if (layoutWatch !== null) {
      layoutWatch.disconnect();
      layoutWatch = null;
    }
    readTexts();
    ready = true;
    var waiting = early;
    early = [];
    waiting.forEach(function (handle) { handle(); });
    if (!replayId) {
      // In a replay the clock shows the replay's time, sent by the server. The clock
      // starts once the night is first drawn, or after a second without a view.
      startClock = function () {
        startClock = null;
        tick();
        window.setInterval(tick, 1000);
      };
      window.setTimeout(function () { if (startClock) { startClock(); } }, 1000);
      if (window.skywatch.updates) {
        startClock();
      }
    }
    window.setInterval(watchdog, 2000);
    window.addEventListener("online", function () { watchdog(); });
    window.addEventListener("offline", function () { showStatus("offline"); });
  }

  if (replayId) {
    document.body.classList.add("replay-mode");
  }
  // The language links keep the rest of the address (the night, wall mode).
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest(".language-link") : null;
    if (!link) {
      return;
    }
    event.preventDefault();
    var next = new URLSearchParams(window.location.search);
    next.set("lang", link.getAttribute("lang"));
    window.location.assign(window.location.pathname + "?" + next.toString());
  });
  // Dash's dropdown, opened from the keyboard, focuses the chosen option and typing goes
  // nowhere: the night picker opens on its search field instead (type a date, Enter loads
  // the first match). Only the first focus of each opening moves, so Tab still reaches the
  // options and leaves the list (no trap).
  var searched = new WeakSet();
  document.addEventListener("focusin", function (event) {
    var popup = event.target instanceof Element ? event.target.closest(".dash-dropdown-content") : null;
    if (!popup || searched.has(popup)) {
      return;
    }
    searched.add(popup);
    var search = popup.querySelector(".dash-dropdown-search");
    if (search && event.target !== search) {
      search.setAttribute("aria-label", say("Pick a night: type a date to search"));
      search.focus();
    }
  });
  if (params.get("wall") === "1") {
    // An unattended wall screen: no controls to show.
    document.body.classList.add("wall-mode");
  }
  connect();
  start();
})();
