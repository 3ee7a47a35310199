// bench/dashboard.py: page.evaluate(script) before the burst. Long tasks (buffered, so none
// is missed between install and burst) into window.__longtasks as [epoch ms, duration], and
// a 50 ms timer whose lateness (window.__lag, [epoch ms, ms late]) is how long the main
// thread could not run anything else. Returns whether this Chromium reports long tasks.

() => {
  const now = () => performance.timeOrigin + performance.now();
  window.__longtasks = [];
  const supported = PerformanceObserver.supportedEntryTypes.includes("longtask");
  if (supported) {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        window.__longtasks.push([performance.timeOrigin + entry.startTime, entry.duration]);
      }
    }).observe({ type: "longtask", buffered: true });
  }
  window.__lag = [];
  let last = now();
  window.setInterval(() => {
    const t = now();
    window.__lag.push([t, t - last - 50]);
    last = t;
  }, 50);
  return supported;
}
