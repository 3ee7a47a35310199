// bench/dashboard.py: page.evaluate(script, element id). Records every change of the
// element's text in window.__changes as [epoch ms, text]; returns the text shown now.

(id) => {
  const now = () => performance.timeOrigin + performance.now();
  const element = document.getElementById(id);
  let last = element.textContent;
  window.__changes = [];
  new MutationObserver(() => {
    const text = element.textContent;
    if (text !== last) {
      last = text;
      window.__changes.push([now(), text]);
    }
  }).observe(element, { childList: true, characterData: true, subtree: true });
  return last;
}
