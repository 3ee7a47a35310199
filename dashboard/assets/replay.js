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

  var span = null;

  function say(text, values) {
    return live && live.say ? live.say(text, values) : text;
  }

  function kyivFormat() {
    return new Intl.DateTimeFormat(live && live.lang() === "uk" ? "uk-UA" : "en-GB", {
      timeZone: "Europe/Kyiv",
      weekday: "short",
      day: "numeric",
      month: "short",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
  }

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
    setProps("replay-banner", { children: say("REPLAY · not live") + " · " + error.message });
  }

  // The slider spans the night's events (whole hours around them), not the whole window.
  function range(state) {
    var start = Date.parse(state.start);
    var end = Date.parse(state.end);
    if (span && span.first && span.last) {
      var hour = 3600 * 1000;
      start = Math.max(start, Math.floor(Date.parse(span.first) / hour) * hour);
      end = Math.min(end, Math.ceil((Date.parse(span.last) + 1) / hour) * hour);
    }
    return { start: start, end: end };
  }

  function secondsInto(instant) {
    return Math.round((Date.parse(instant) - range(clock).start) / 1000);
  }

  function showTicks(state) {
    var bounds = range(state);
    var hour = 3600 * 1000;
    var total = bounds.end - bounds.start;
    var every = total > 12 * hour ? 2 * hour : hour;
    var hourFormat = new Intl.DateTimeFormat(live && live.lang() === "uk" ? "uk-UA" : "en-GB", {
      timeZone: "Europe/Kyiv", hour: "2-digit", minute: "2-digit",
    });
    var ticks = [];
    var options = [];
    for (var at = Math.ceil(bounds.start / hour) * hour; at <= bounds.end; at += every) {
      var left = (100 * (at - bounds.start)) / total;
      ticks.push({ type: "Span", namespace: "dash_html_components",
        props: { children: hourFormat.format(new Date(at)), style: { left: left + "%" } } });
      options.push({ type: "Option", namespace: "dash_html_components",
        props: { value: String(Math.round((at - bounds.start) / 1000)) } });
    }
    setProps("replay-ticks", { children: ticks });
    setProps("replay-hours", { children: options });
  }

  function describe(state, position) {
    var parts = [kyivFormat().format(new Date(position)) + " " + say("Kyiv"), state.speed + "×"];
    if (state.finished) {
      parts.push(say("finished"));
    } else if (state.paused) {
      parts.push(say("paused"));
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

  function showClock(state, eventSpan) {
    var first = clock === null;
    if (eventSpan) {
      first = first || !span || span.first !== eventSpan.first || span.last !== eventSpan.last;
      span = eventSpan;
    }
    clock = state;
    live.replay = state;
    var label = state.finished ? say("Play again") : state.paused ? say("Play") : say("Pause");
    setProps("replay-play", { children: label });
    // Paused is a state of the whole room: a large banner, not a small suffix.
    var paused = state.paused && !state.finished;
    document.body.classList.toggle("replay-paused", paused);
    setProps("replay-banner", {
      children: paused ? say("PAUSED") + " · " + say("REPLAY · not live") : say("REPLAY · not live"),
    });
    showSpeed(state.speed);
    if (first) {
      showTicks(state);
    }
    if (!dragging) {
      var bounds = range(state);
      setProps("replay-slider", {
        min: 0,
        max: Math.round((bounds.end - bounds.start) / 1000),
        value: Math.max(0, secondsInto(state.position)),
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
    return new Date(range(clock).start + Number(element.value) * 1000).toISOString();
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
        setProps("replay-start", { children: say("No replay: {error}", { error: error.message }) });
        window.setTimeout(function () {
          setProps("replay-start", { children: say("Replay night") });
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
          setProps("replay-banner", {
            children: say("REPLAY · not live") + " · " + say("this session no longer exists"),
          });
          setProps("replay-play", { disabled: true });
        },
      }
    : null;
})();
