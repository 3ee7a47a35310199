// bench/dashboard.py: page.evaluate(script, element id). Records every change of the
// element's text in window.__changes as [epoch ms, text], and every time live.js says the
// page shows all of a message (figures and tables too: window.skywatch.lastSeq) in
// window.__drawn as [epoch ms, seq]; returns the text shown now.

(id) => {
  const now = () => performance.timeOrigin + performance.now();
  const element = document.getElementById(id);
  let last = element.textContent;
  window.__changes = [];
  window.__drawn = [];
  const sky = window.skywatch;
  let drawnSeq = sky.lastSeq;
  Object.defineProperty(sky, "lastSeq", {
    configurable: true,
    get: () => drawnSeq,
    set: (value) => {
      drawnSeq = value;
      window.__drawn.push([now(), value]);
    },
  });
  new MutationObserver(() => {
    const text = element.textContent;
    if (text !== last) {
      last = text;
      window.__changes.push([now(), text]);
    }
  }).observe(element, { childList: true, characterData: true, subtree: true });
  return last;
}
