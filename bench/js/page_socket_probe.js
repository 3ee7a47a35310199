// bench/dashboard.py: init script of every dashboard page (context.add_init_script), run
// before the page's own scripts, so live.js opens its socket through this subclass. It
// stamps (epoch ms) each view message that carries #count-drones-launched into
// window.__frames as [time, text], its seq into window.__seqs as [text, seq], and each
// socket close into window.__closes as
// [time, code, closed by the page, messages, opened at]: frame arrival times split the
// server's delay from the page's own rendering time. The pattern must match
// COUNT_IN_MESSAGE in bench/dashboard.py.

(() => {
  const now = () => performance.timeOrigin + performance.now();
  const pattern = /"count-drones-launched":\{"children":"([^"]*)"/;  // as COUNT_IN_MESSAGE
  window.__frames = [];
  window.__seqs = [];
  window.__closes = [];
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      const opened = { at: now(), messages: 0, closedByPage: false };
      this.__opened = opened;
      this.addEventListener("close", (event) => {
        window.__closes.push([now(), event.code, opened.closedByPage, opened.messages, opened.at]);
      });
      this.addEventListener("message", (event) => {
        opened.messages += 1;
        const found = typeof event.data === "string" ? pattern.exec(event.data) : null;
        if (found) {
          window.__frames.push([now(), found[1]]);
          const seq = /"seq":(\d+)/.exec(event.data);
          if (seq) window.__seqs.push([found[1], Number(seq[1])]);
        }
      });
    }
    close(...args) {
      // Tells a close by the page's own script from one by the server or the network.
      this.__opened.closedByPage = true;
      return super.close(...args);
    }
  };
})();
