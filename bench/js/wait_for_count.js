// bench/dashboard.py: page.wait_for_function(script, arg=[element id, value]). True once
// the element shows a count (thin spaces and commas ignored) of at least value.

([id, value]) => {
  const text = document.getElementById(id).textContent.replace(/[\u2009,]/g, "");
  return /^\d+$/.test(text) && Number(text) >= value;
}
