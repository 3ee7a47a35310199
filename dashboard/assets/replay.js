// Skywatch replay controls. The session's clock lives on the server: every control is a
// request to it, and every screen (this one included) shows the clock the server sends
// back over the page's channel, so all screens in the room move together.
(function () {
  "use strict";

  var live = window.skywatch;
  var replayId = live ? live.replayId : null;
  var SPEED_DEFAULT = 60;
  var clock = null;
  var dragging = false;

  var kyivFormat = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/Kyiv",
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });

  function setProps(id, props) {
    window.dash_clientside.set_props(id, props);
  }

  function postJson(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) {
          var detail = typeof data.detail === "string" ? data.detail : response.statusText;
          throw new Error(detail);
        }
        return data;
      });
    });
  }

  function showProblem(error) {
    setProps("replay-banner", { children: "REPLAY · " + error.message });
  }

  function secondsInto(instant) {
    return Math.round((Date.parse(instant) - Date.parse(clock.start)) / 1000);
  }

  function describe(state, position) {
    var parts = [kyivFormat.format(new Date(position)) + " Kyiv", state.speed + "×"];
    if (state.finished) {
      parts.push("finished");
    } else if (state.paused) {
      parts.push("paused");
    }
    return parts.join(" · ");
  }

  function showSpeed(speed) {
    var select = document.getElementById("replay-speed");
    if (!select) {
      return;
    }
    var value = String(speed);
    var known = Array.prototype.some.call(select.options, function (option) {
      return option.value === value;
    });
    if (!known) {
      // A speed set through the API that is not a preset still shows truthfully.
      select.add(new Option(value + "×", value));
    }
    select.value = value;
  }

  function showClock(state) {
    clock = state;
    live.replay = state;
    var label = state.finished ? "Play again" : state.paused ? "Play" : "Pause";
    setProps("replay-play", { children: label });
    showSpeed(state.speed);
    if (!dragging) {
      setProps("replay-slider", {
        min: 0,
        max: secondsInto(state.end),
        value: secondsInto(state.position),
      });
      setProps("replay-position", { children: describe(state, state.position) });
    }
  }

  function control(body) {
    if (!clock) {
      return;
    }
    var url = "/api/v1/replays/" + encodeURIComponent(replayId) + "/control";
    postJson(url, body).then(showClock).catch(showProblem);
  }

  function sliderInstant(element) {
    return new Date(Date.parse(clock.start) + Number(element.value) * 1000).toISOString();
  }

  function startReplay() {
    var night = live.shownNight();
    if (!night) {
      return;
    }
    postJson("/api/v1/replays", { night: night, speed: SPEED_DEFAULT })
      .then(function (session) {
        window.location.assign("/replay/" + encodeURIComponent(session.id));
      })
      .catch(function (error) {
        // Never a modal dialog: it would freeze a wall screen until someone clicks.
        setProps("replay-start", { children: "No replay: " + error.message });
        window.setTimeout(function () {
          setProps("replay-start", { children: "Replay night" });
        }, 4000);
      });
  }

  // Delegated listeners: Dash may render the controls after this script runs.
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) {
      return;
    }
    if (target.closest("#replay-start")) {
      startReplay();
    } else if (target.closest("#replay-play") && clock) {
      control({ action: clock.paused || clock.finished ? "play" : "pause" });
    }
  });

  document.addEventListener("input", function (event) {
    if (event.target.id === "replay-slider" && clock) {
      // While the presenter drags, the thumb and label follow the hand, not the clock.
      dragging = true;
      var instant = sliderInstant(event.target);
      setProps("replay-position", { children: describe(clock, instant) });
    }
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.id === "replay-slider" && clock) {
      dragging = false;
      control({ action: "seek", position: sliderInstant(target) });
    } else if (target.id === "replay-speed" && clock) {
      control({ action: "speed", speed: Number(target.value) });
    }
  });

  window.skywatchReplay = replayId
    ? {
        clock: showClock,
        gone: function () {
          setProps("replay-banner", { children: "REPLAY · this session no longer exists" });
          setProps("replay-play", { disabled: true });
        },
      }
    : null;
})();
