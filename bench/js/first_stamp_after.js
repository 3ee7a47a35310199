// bench/replay_screens.py: page.evaluate(script, [key, since]). The first stamp in
// window[key] (see stamp_changes.js) at or after since (epoch ms), or null.

([key, since]) => (window[key] || []).find((stamp) => stamp >= since) ?? null
