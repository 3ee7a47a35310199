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

  window.skywatch = {
    updates: 0,
    lastSeq: 0,
    replayId: replayId,
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

  function showStatus(state) {
    // Connected to a replay is not "live": the pill must never suggest otherwise.
    var shown = replayId && state === "live" ? "replay" : state;
    setProps("connection-status", { children: shown, className: "status status-" + shown });
  }

  function streamUrl() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    if (replayId) {
      var path = "/dashboard/replay/" + encodeURIComponent(replayId) + "/stream";
      return scheme + window.location.host + path;
    }
    var query = night ? "?night=" + encodeURIComponent(night) : "";
    return scheme + window.location.host + "/dashboard/stream" + query;
  }

  function apply(message) {
    if (message.type === "gone" && window.skywatchReplay) {
      window.skywatchReplay.gone();
    }
    if (message.type !== "view") {
      return;
    }
    if (message.replay && window.skywatchReplay) {
      window.skywatchReplay.clock(message.replay);
    }
    if (message.picker) {
      shownNight = message.picker.value;
      setProps("night-picker", message.picker);
    }
    var props = message.props || {};
    Object.keys(props).forEach(function (id) {
      setProps(id, props[id]);
    });
    window.skywatch.lastSeq = message.seq;
    window.skywatch.updates += 1;
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
      showStatus("live");
      apply(JSON.parse(event.data));
    };
    socket.onclose = function (event) {
      socket = null;
      if (event.code === CLOSE_NO_SESSION && window.skywatchReplay) {
        // A session that does not exist will not exist on retry either.
        window.skywatchReplay.gone();
        showStatus("offline");
        return;
      }
      showStatus(navigator.onLine ? "reconnecting" : "offline");
      window.setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, RECONNECT_MAX_MS);
    };
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

  var kyivClock = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/Kyiv",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });

  function tick() {
    setProps("kyiv-time", { children: "Kyiv " + kyivClock.format(new Date()) });
  }

  function start() {
    // Dash renders the layout after its scripts load; wait for the elements to exist.
    if (!window.dash_clientside || !window.dash_clientside.set_props ||
        !document.getElementById("connection-status")) {
      window.setTimeout(start, 50);
      return;
    }
    connect();
    if (!replayId) {
      // In a replay the clock shows the replay's time, sent by the server.
      tick();
      window.setInterval(tick, 1000);
    }
    window.setInterval(watchdog, 2000);
    window.addEventListener("online", function () { watchdog(); });
    window.addEventListener("offline", function () { showStatus("offline"); });
  }

  if (replayId) {
    document.body.classList.add("replay-mode");
  }
  start();
})();
