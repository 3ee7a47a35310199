// bench/replay_screens.py: page.evaluate(script, [element id, key]). Stamps every change
// of the element's text, on the page's own clock (epoch ms), into window[key].

([id, key]) => {
  const element = document.getElementById(id);
  window[key] = [];
  new MutationObserver(() => window[key].push(performance.timeOrigin + performance.now()))
    .observe(element, {childList: true, subtree: true, characterData: true});
}
