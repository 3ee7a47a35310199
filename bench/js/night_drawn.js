// bench/history_pages.py: context.add_init_script(script), before the page's own scripts.
// Sets window.__nightDrawnAt to the page's clock (performance.now(), from the navigation) in
// the first frame that shows the night: the status pill says archive, the map has its
// oblasts, the timeline is drawn. Looked at in every frame from the page's first, so the time
// is the page's own: a poll from outside begins only once page.goto has returned, and with
// other pages open it first looked up to 300 ms after the frame that showed the night.

(() => {
  const shown = () => {
    const status = document.getElementById("connection-status");
    return Boolean(
      status &&
        status.dataset.state === "archive" &&
        document.querySelector("#city-map .scatterlayer .trace") &&
        document.querySelector("#timeline .main-svg"),
    );
  };
  const frame = () => {
    if (shown()) {
      window.__nightDrawnAt = performance.now();
      return;
    }
    window.requestAnimationFrame(frame);
  };
  window.requestAnimationFrame(frame);
})();
